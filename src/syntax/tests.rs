//! Tests of the whole engine on small grammars written inline.

use super::*;
