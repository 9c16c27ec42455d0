//! Every size limit sdplay enforces, in one place, each with where it comes from.
//!
//! Most are the real system's: go-yaml's (as kubectl parses a manifest), Go's `encoding/json`
//! (as kubectl converts it), the API server's request body limit and etcd's request limit.
//! The rest are sdplay's own, so that nothing a learner types or pastes can hang or exhaust
//! the page; each of those says "sdplay" in its message. The README's "Limits" section lists
//! them all for learners.

// ---- go-yaml v2 (go.yaml.in/yaml/v2, vendored by sigs.k8s.io/yaml, as kubectl v1.32 uses it)

/// go-yaml's `alias_ratio_range_low` (decode.go): up to this many decode operations, 99% of
/// them may come from alias expansion.
pub const ALIAS_RATIO_RANGE_LOW: u64 = 400_000;
/// go-yaml's `alias_ratio_range_high`: from this many decode operations on, only 10% may.
pub const ALIAS_RATIO_RANGE_HIGH: u64 = 4_000_000;
/// go-yaml checks the ratio only once more than this many decodes came from aliases
/// (`d.aliasCount > 100` in `decoder.unmarshal`)...
pub const ALIAS_MIN_ALIASES: u64 = 100;
/// ... and more than this many decodes happened in all (`d.decodeCount > 1000`).
pub const ALIAS_MIN_DECODES: u64 = 1_000;

/// go-yaml's `allowedAliasRatio(decodeCount)`: the share of decode operations that may come
/// from alias expansion, 0.99 for small documents, scaled down to 0.10 for very large ones.
pub fn allowed_alias_ratio(decode_count: u64) -> f64 {
    if decode_count <= ALIAS_RATIO_RANGE_LOW {
        0.99
    } else if decode_count >= ALIAS_RATIO_RANGE_HIGH {
        0.10
    } else {
        let range = (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW) as f64;
        0.99 - 0.89 * ((decode_count - ALIAS_RATIO_RANGE_LOW) as f64 / range)
    }
}

/// go-yaml's alias heuristic at one decode step (`decoder.unmarshal`): whether the document
/// is refused with `document contains excessive aliasing`.
pub fn excessive_aliasing(decode_count: u64, alias_count: u64) -> bool {
    alias_count > ALIAS_MIN_ALIASES
        && decode_count > ALIAS_MIN_DECODES
        && alias_count as f64 / decode_count as f64 > allowed_alias_ratio(decode_count)
}

/// go-yaml's `max_flow_level` and `max_indents` (scannerc.go): `exceeded max depth of 10000`.
/// sdplay counts open collections of either style against it.
pub const MAX_YAML_DEPTH: usize = 10_000;

/// yaml-rust2 (the parser sdplay uses) keeps its flow level in a `u8`: flow collections
/// (`[`, `{`) nested deeper than this are refused (go-yaml allows 10,000).
pub const MAX_FLOW_DEPTH: usize = 255;

// ---- Go's encoding/json (sigs.k8s.io/yaml converts YAML to JSON, then decodes the JSON)

/// `maxNestingDepth` in encoding/json's scanner.go: a JSON value nested deeper is refused with
/// `invalid character '[' exceeded max depth`.
pub const MAX_JSON_DEPTH: usize = 10_000;

// ---- the API server and etcd

/// kube-apiserver's `--max-request-body-bytes` default, `MaxRequestBodyBytes: 3 * 1024 * 1024`
/// (k8s.io/apiserver/pkg/server/config.go): a create or update body over it is refused with
/// 413 `Request entity too large: limit is 3145728` (`limitedReadBody` in
/// k8s.io/apiserver/pkg/endpoints/handlers/rest.go).
pub const MAX_REQUEST_BODY_BYTES: usize = 3 * 1024 * 1024;

/// etcd's `--max-request-bytes` default (1.5 MiB, `embed.DefaultMaxRequestBytes`): a write
/// bigger than that is refused with `etcdserver: request is too large`, which the API server
/// passes on as a 500 with no reason (kubernetes/kubernetes#74600). etcd measures the object's
/// protobuf encoding; sdplay, which has no protobuf, measures its JSON.
pub const MAX_ETCD_REQUEST_BYTES: usize = 1024 * 1024 + 512 * 1024;

// ---- sdplay's own bounds on what the page is asked to do

/// The most objects one `kubectl apply -f`/`create -f` file may hold (documents and `List`
/// items together). kubectl has no such limit; sdplay's controllers settle after each
/// command, and this keeps one paste's work bounded.
pub const MAX_OBJECTS_PER_FILE: usize = 10_000;

/// The longest manifest file sdplay parses (16 MiB): 5 times the API server's body limit, so
/// every file the real tools would read through is read, and a bigger paste is refused at once.
pub const MAX_MANIFEST_BYTES: usize = 16 * 1024 * 1024;

/// The longest command line the terminal runs (1 MiB): Linux refuses one argument over
/// `MAX_ARG_STRLEN` (128 KiB) and all of them over 2 MiB when it runs a program, the shell's
/// builtins take any length; sdplay refuses longer lines before parsing them.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// The most an open construct (a `for` without its `done`) may accumulate over several lines
/// before it counts as ended.
pub const MAX_PENDING_BYTES: usize = 64 * 1024;

/// Rounds of one `while`/`until` loop (`shell::interp`; each bound says so when it stops).
pub const MAX_ITERATIONS: u32 = 1_000;
/// Simple commands one line may run.
pub const MAX_COMMANDS: u32 = 10_000;
/// Numbers `seq` prints.
pub const MAX_SEQ: i64 = 100_000;
/// Nesting of `$(…)` and `( … )`.
pub const MAX_DEPTH: u32 = 16;
/// Bytes the commands of one line may print (captured output included).
pub const MAX_OUTPUT: usize = 4 << 20;

/// Lines kept in the terminal's history: Ubuntu's default `~/.bashrc` sets `HISTSIZE=1000`.
pub const MAX_HISTORY: usize = 1_000;

/// The ReplicaSet controller's `burstReplicas`: at most this many Pods created (or deleted) in
/// one sync; the rest in the next (`pkg/controller/replicaset`, `BurstReplicas = 500`).
pub const BURST_REPLICAS: usize = 500;

/// sdplay's own: the most objects the simulated store holds, in any cluster (Kubernetes'
/// tested envelope is 150,000 Pods and 10,000 Services, with their ReplicaSets, Endpoints and
/// slices). Past the bound a ReplicaSet's Pod creations fail with a `FailedCreate` event, so
/// `kubectl scale --replicas=10000000` answers instead of filling the tab's memory.
pub const MAX_STORE_OBJECTS: usize = 250_000;
/// The bound in a small cluster: past twice the Pods its nodes can run, more Pending Pods
/// teach nothing, and each costs the page as much as a Running one.
pub const MIN_STORE_OBJECTS: usize = 50_000;

/// The store's bound for a cluster of `nodes`: twice the Pods they can run
/// ([`crate::model::MAX_PODS_PER_NODE`] each), from [`MIN_STORE_OBJECTS`] (1 to 227 nodes) to
/// [`MAX_STORE_OBJECTS`] (1,137 nodes and more).
pub fn max_store_objects(nodes: usize) -> usize {
    nodes
        .saturating_mul(2 * crate::model::MAX_PODS_PER_NODE as usize)
        .clamp(MIN_STORE_OBJECTS, MAX_STORE_OBJECTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_go_yamls() {
        assert_eq!(allowed_alias_ratio(0), 0.99);
        assert_eq!(allowed_alias_ratio(400_000), 0.99);
        assert_eq!(allowed_alias_ratio(4_000_000), 0.10);
        assert_eq!(allowed_alias_ratio(u64::MAX), 0.10);
        // Halfway through the range: 0.99 - 0.89 / 2.
        assert!((allowed_alias_ratio(2_200_000) - 0.545).abs() < 1e-12);
    }

    #[test]
    fn the_store_bound_follows_the_nodes() {
        assert_eq!(max_store_objects(0), 50_000);
        assert_eq!(max_store_objects(1), 50_000);
        assert_eq!(max_store_objects(227), 50_000);
        assert_eq!(max_store_objects(228), 50_160);
        assert_eq!(max_store_objects(1_136), 249_920);
        assert_eq!(max_store_objects(5_000), 250_000);
        assert_eq!(max_store_objects(usize::MAX), 250_000);
    }

    #[test]
    fn thresholds_are_strict() {
        // Both counts must exceed their minimum: 101 aliases in 1001 decodes is 10%, allowed.
        assert!(!excessive_aliasing(1_000, 999));
        assert!(!excessive_aliasing(2_000, 100));
        assert!(excessive_aliasing(1_001, 992));
        assert!(!excessive_aliasing(1_001, 990));
        assert!(!excessive_aliasing(10_000_000, 1_000_000));
        assert!(excessive_aliasing(10_000_000, 1_000_001));
    }
}
