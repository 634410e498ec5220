// Command context-check prints the files `docker build` (BuildKit) sends as the build context of a folder: the
// .dockerignore read by moby/patternmatcher's ignorefile and applied by fsutil's walker, the code BuildKit's local
// source runs. buildah (podman build) reads the same file its own way; test/containers builds with it, and
// test/ops/dockerignore.test.ts checks with this that BuildKit sends what the Dockerfiles copy.
// Usage: context-check <folder>
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/moby/patternmatcher/ignorefile"
	"github.com/tonistiigi/fsutil"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: context-check <folder>")
		os.Exit(2)
	}
	root := os.Args[1]
	file, err := os.Open(filepath.Join(root, ".dockerignore"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	patterns, err := ignorefile.ReadAll(file)
	file.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	err = fsutil.Walk(context.Background(), root, &fsutil.FilterOpt{ExcludePatterns: patterns},
		func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				fmt.Println(filepath.ToSlash(path))
			}
			return err
		})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
