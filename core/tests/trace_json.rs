//! The `--trace=json` stream of the chapter's flow (apply, exec, curl ent:8080, curl of the
//! prod FQDN): every registration step 1–6 and every discovery hop is there, each with its
//! `from` and `to` on the diagram, a curl's hops share one flow, a DNS query shares its flow
//! with its answer, and the envelope has the fields the README documents. The byte-exact
//! snapshot is `tests/transcripts/trace-json-chapter.out`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sdplay_core::{Config, Files, TraceFormat};
use serde_json::Value;

struct Root;

impl Files for Root {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).ok()
    }
}

const SCRIPT: &str = "kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl exec -it jump --namespace dev -- bash
apt-get update
apt-get install -y curl
curl ent:8080
curl ent.prod.svc.cluster.local:8080
";

fn lines() -> Vec<Value> {
    sdplay_core::transcript(Config::default(), SCRIPT, &Root, TraceFormat::Json)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is one JSON object"))
        .collect()
}

fn events(all: &[Value]) -> Vec<&Value> {
    all.iter().filter(|v| v["record"] == "event").collect()
}

#[test]
fn every_line_has_the_documented_envelope() {
    let all = lines();
    let commands: Vec<&Value> = all.iter().filter(|v| v["record"] == "command").collect();
    assert_eq!(commands.len(), SCRIPT.lines().count());
    for c in &commands {
        for f in ["command", "prompt", "line", "output", "status"] {
            assert!(c.get(f).is_some(), "command record lacks {f}: {c}");
        }
    }
    let mut last_seq = None;
    for e in events(&all) {
        for f in [
            "seq",
            "time_ms",
            "command",
            "step",
            "type",
            "from",
            "to",
            "flow",
            "objects",
            "summary",
            "why",
            "chapter",
            "correction",
            "store_version",
            "data",
        ] {
            assert!(e.get(f).is_some(), "event lacks {f}: {e}");
        }
        let seq = e["seq"].as_u64().expect("seq");
        assert!(last_seq.is_none_or(|l| seq > l), "seq increases");
        last_seq = Some(seq);
        assert!(e["data"].get("type").is_none(), "the type is in the envelope only");
        assert!(!e["summary"].as_str().unwrap_or("").is_empty());
    }
}

#[test]
fn every_registration_step_and_discovery_hop_appears_with_from_and_to() {
    let all = lines();
    let evs = events(&all);
    let steps: BTreeSet<&str> = evs.iter().filter_map(|e| e["step"].as_str()).collect();
    let want = [
        "registration:1",
        "registration:2",
        "registration:3",
        "registration:4",
        "registration:5",
        "registration:6",
        "discovery:resolv-conf",
        "discovery:search-expansion",
        "discovery:dns-query",
        "discovery:dns-answer",
        "discovery:packet",
        "discovery:default-gateway",
        "discovery:kernel-trap",
        "discovery:pick",
        "discovery:dnat",
        "discovery:deliver",
        "discovery:reply",
    ];
    for s in want {
        assert!(steps.contains(s), "no {s} event");
    }
    for e in evs
        .iter()
        .filter(|e| e["step"].as_str().is_some_and(|s| !s.starts_with("controller")))
    {
        assert!(e["from"].is_string() && e["to"].is_string(), "no from/to: {e}");
        assert!(e["chapter"].is_string(), "the chapter's step: {e}");
    }
}

#[test]
fn a_curl_is_one_flow_and_each_query_shares_its_answers_flow() {
    let all = lines();
    let evs = events(&all);
    // The first `curl ent:8080` (command 6).
    let curl: Vec<&&Value> = evs.iter().filter(|e| e["command"] == 6).collect();
    let hops: Vec<&&&Value> = curl
        .iter()
        .filter(|e| {
            let s = e["step"].as_str().unwrap_or("");
            s.starts_with("discovery:") && !s.contains("dns") && !s.contains("resolv") && !s.contains("search")
        })
        .collect();
    let flows: BTreeSet<u64> = hops.iter().filter_map(|e| e["flow"].as_u64()).collect();
    assert_eq!(flows.len(), 1, "one flow for the connection's hops");
    assert_eq!(hops.len(), 7, "packet, gateway, trap, pick, DNAT, delivery, reply");
    assert_eq!(hops[0]["from"], "pod:dev/jump");
    assert_eq!(hops[0]["to"], "svc:dev/ent");
    let pick = hops.iter().find(|e| e["type"] == "ipvs_picked").expect("an IPVS pick");
    assert_eq!(pick["data"]["scheduler"], "rr");
    assert_eq!(
        pick["data"]["candidates"].as_array().map(Vec::len),
        Some(2),
        "the scheduler's inputs"
    );
    let picked = pick["data"]["picked"].as_str().unwrap_or_default().to_string();
    let delivered = hops.iter().find(|e| e["type"] == "delivered").expect("delivered");
    assert_eq!(delivered["data"]["at"], picked.as_str());
    assert_eq!(delivered["to"], pick["to"], "the pick's Pod is the one delivered to");
    // Queries and answers pair up by flow, the answer going back the way the query came.
    let mut by_flow: BTreeMap<u64, Vec<&&Value>> = BTreeMap::new();
    for e in evs
        .iter()
        .filter(|e| e["step"] == "discovery:dns-query" || e["step"] == "discovery:dns-answer")
    {
        by_flow
            .entry(e["flow"].as_u64().expect("a DNS event has a flow"))
            .or_default()
            .push(e);
    }
    assert!(!by_flow.is_empty());
    for (flow, pair) in by_flow {
        assert_eq!(pair.len(), 2, "flow {flow}: one query, one answer");
        assert_eq!(pair[0]["type"], "query_sent");
        assert_eq!(pair[1]["type"], "answered");
        assert_eq!(pair[0]["from"], pair[1]["to"]);
        assert_eq!(pair[0]["to"], pair[1]["from"]);
    }
}

#[test]
fn the_prod_fqdn_answers_with_prods_clusterip() {
    let all = lines();
    let evs = events(&all);
    let ip = evs
        .iter()
        .find(|e| e["type"] == "cluster_ip_allocated" && e["data"]["service"] == "Service/prod/ent")
        .and_then(|e| e["data"]["ip"].as_str())
        .expect("prod/ent's ClusterIP")
        .to_string();
    let answer = evs
        .iter()
        .find(|e| e["command"] == 7 && e["type"] == "answered" && e["data"]["qname"] == "ent.prod.svc.cluster.local.")
        .expect("the FQDN's answer");
    assert_eq!(answer["data"]["answers"][0], ip.as_str());
    assert_eq!(answer["data"]["rcode"], "NOERROR");
}
