"""Training, export and benchmarking pipeline for the ride-duration model (see models/README.md)."""
