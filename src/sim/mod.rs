//! Simulated upstream organisations for the demo, tests and benchmarks.

pub mod sample_org;
