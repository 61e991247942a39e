"""Developer tools: generated registry data for scale tests and benchmarks."""
