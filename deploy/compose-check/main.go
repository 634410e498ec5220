// Command compose-check loads a Compose file with compose-go, the library `docker compose` itself uses: the current
// Compose Specification schema, interpolation and the loader's semantic checks, all without a Docker engine.
// Usage: go run . ../../docker-compose.yml   (scripts: test/ops/compose-file.test.ts builds and runs it)
package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose file>...")
		os.Exit(2)
	}
	// A fixed project name: the check must not depend on the folder the repository was cloned into.
	opts, err := cli.NewProjectOptions(os.Args[1:], cli.WithOsEnv, cli.WithName("compose-check"))
	if err == nil {
		var names []string
		project, loadErr := opts.LoadProject(context.Background())
		if err = loadErr; err == nil {
			for name := range project.Services {
				names = append(names, name)
			}
			sort.Strings(names)
			fmt.Printf("compose file ok: services %v\n", names)
			return
		}
	}
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
