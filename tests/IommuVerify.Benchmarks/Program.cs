using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(IommuVerify.Benchmarks.EngineBenchmarks).Assembly).Run(args);
