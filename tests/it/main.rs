//! The one integration-test binary: each module is one area of the suite.
mod lab;
mod verify;
mod cli;
mod labs;
mod gen;
mod fixtures;
mod vtysh;
mod corpus;
mod meta;
mod crosscheck;
mod mutation;
mod robust;
mod fastpath;
