/** The model every program serves when MODEL_PATH is unset: the versioned folder committed with the repository. */
export const DEFAULT_MODEL_PATH = 'models/ride-duration/1.0.0';
