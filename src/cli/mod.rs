//! The command line's own parts: finding and loading files with progress bars,
//! running protocols, writing outputs, benchmarks. No modelling logic lives here.

pub mod bench;
pub mod bench_suite;
pub mod explain;
pub mod files;
pub mod output;
pub mod run;
pub mod scale;
pub mod threads;
