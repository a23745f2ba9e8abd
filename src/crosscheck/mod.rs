//! crosscheck (in progress)
