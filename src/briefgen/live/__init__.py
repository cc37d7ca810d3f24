"""Stage 7, live: `watch` (rebuild what each saved change affects, in one warm process)
and `serve` (preview the build folder on this machine, reloading after each rebuild)."""
