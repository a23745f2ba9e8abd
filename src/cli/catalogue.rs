//! The rule catalogue as the CLI sees it: every rule's metadata, for `rules`, `explain` and
//! the SARIF rule list. The registry itself lives in `rules/`; this is the one call into it.

use crate::diag::RuleMeta;

/// Every rule, of every group, as the registry lists them.
pub fn catalogue() -> Vec<&'static RuleMeta> {
    crate::rules::catalogue()
}
