//! The state the timeline shows for an event is the cluster right after it: every change the
//! event stands for, none of the next event's (`Playground::store_at`).

use std::collections::BTreeMap;

use sdplay_core::trace::{Reg, Step};
use sdplay_core::{Config, Playground, SD_EXAMPLE};

fn applied() -> Playground {
    let mut files = BTreeMap::new();
    files.insert("sd-example.yml".to_string(), SD_EXAMPLE.to_string());
    let mut pg = Playground::new(Config::default());
    pg.run("kubectl apply -f sd-example.yml", &files);
    pg
}

#[test]
fn clusterip_allocated_shows_the_service_with_its_clusterip() {
    let pg = applied();
    let e = pg
        .trace()
        .iter()
        .find(|e| e.step() == Step::Registration(Reg::ClusterIp) && e.summary().starts_with("service/ent "))
        .expect("ent's ClusterIP event");
    let ip = e.summary().rsplit(' ').next().unwrap().to_string();
    let store = pg.store_at(e.seq).expect("retained");
    let svc = store
        .service("dev", "ent")
        .expect("ent is in the state right after its ClusterIP event");
    assert_eq!(svc.cluster_ip().map(|i| i.to_string()), Some(ip));
}

#[test]
fn the_post_of_a_service_does_not_show_it_yet_and_the_last_event_is_live() {
    let pg = applied();
    let post = pg
        .trace()
        .iter()
        .find(|e| e.step() == Step::Registration(Reg::Post) && e.summary().contains("service/ent in dev"))
        .expect("ent's POST");
    // Admission follows the POST as its own step: the object is not stored yet.
    let store = pg.store_at(post.seq).expect("retained");
    assert!(store.service("dev", "ent").is_none());
    let last = pg.trace().back().expect("events");
    assert_eq!(pg.store_at(last.seq).map(|s| s.len()), Some(pg.cluster.store().len()));
}
