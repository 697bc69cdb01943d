// Placeholder entry point so the solution builds until the engine stage adds its benchmarks
// (replace this file with the real BenchmarkDotNet switcher).
return 0;
