//! The worker's typed protocol, natively: requests with ids in, replies with the same
//! ids out, each request closed by exactly one `done`; the policies that used to live
//! in the worker's JS (one model per kind, re-scoring after a protocol or test-file
//! change, a new training file forgetting every model, play / pause / step / cancel,
//! the "why 0.51" demonstration) as `Session` operations; structured errors.

use netanomaly::data::{synth, Format};
use netanomaly::detect::ModelKind;
use netanomaly::pipeline::TrainSettings;
use netanomaly::session::protocol::{Command, ErrorReply, ExportWhat, Reply, Request, Response};
use netanomaly::session::{Activity, Attachment, ProtocolChoice, Session, Slot};
use serde_json::json;

/// Send one request and drive the session until it is idle (or paused), as the
/// worker's loop does; every reply is returned.
fn send(s: &mut Session, request: serde_json::Value, attachment: Option<Attachment>) -> Vec<Response> {
    let request: Request = serde_json::from_value(request).expect("a well-formed request");
    let mut out = Vec::new();
    s.handle(request, attachment, &mut |r| out.push(r));
    drive(s, &mut out);
    out
}

fn drive(s: &mut Session, out: &mut Vec<Response>) {
    while s.activity() == Activity::Busy {
        s.advance(&mut |r| out.push(r));
    }
}

fn dense(epochs: usize) -> serde_json::Value {
    let mut settings = TrainSettings::new(ModelKind::Dense);
    settings.autoencoder.train.epochs = epochs;
    settings.autoencoder.train.patience = epochs;
    serde_json::to_value(settings).unwrap()
}

fn forest() -> serde_json::Value {
    serde_json::to_value(TrainSettings::new(ModelKind::If)).unwrap()
}

fn sample(s: &mut Session, id: u64) -> Vec<Response> {
    send(s, json!({"id": id, "type": "sample", "rows": 3000, "seed": 42}), None)
}

/// The results (model id, kind, rescored, replaced) among the replies.
fn results(replies: &[Response]) -> Vec<(u32, ModelKind, bool, Option<u32>)> {
    replies
        .iter()
        .filter_map(|r| match &r.reply {
            Reply::Result { result, rescored, replaced, .. } => {
                Some((result.model.id, result.model.kind, *rescored, *replaced))
            }
            _ => None,
        })
        .collect()
}

fn errors(replies: &[Response]) -> Vec<&ErrorReply> {
    replies
        .iter()
        .filter_map(|r| match &r.reply {
            Reply::Error(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// The first reply that is not progress.
fn first_reply(replies: &[Response]) -> &Reply {
    &replies.iter().find(|r| !matches!(r.reply, Reply::Progress(_))).expect("a reply").reply
}

/// Each request id's replies end with exactly one `done`.
fn assert_closed(replies: &[Response], ids: &[u64]) {
    for &id in ids {
        let mine: Vec<&Response> = replies.iter().filter(|r| r.id == id).collect();
        let dones = mine.iter().filter(|r| matches!(r.reply, Reply::Done { .. })).count();
        assert_eq!(dones, 1, "request {id}: one done, got {dones}");
        assert!(matches!(mine.last().map(|r| &r.reply), Some(Reply::Done { .. })), "request {id}: done comes last");
    }
}

#[test]
fn requests_keep_their_wire_shape() {
    let r: Request = serde_json::from_value(
        json!({"id": 7, "type": "protocol", "choice": {"kind": "holdout", "train_fraction": 0.8, "seed": 3}}),
    )
    .unwrap();
    assert_eq!(r.id, 7);
    assert_eq!(r.command, Command::Protocol { choice: ProtocolChoice::Holdout { train_fraction: 0.8, seed: 3 } });
    let done = serde_json::to_value(Response { id: 7, reply: Reply::Done { cancelled: false } }).unwrap();
    assert_eq!(done, json!({"id": 7, "type": "done", "cancelled": false}));
    assert!(serde_json::from_value::<Request>(json!({"id": 1, "type": "no-such-thing"})).is_err());
}

#[test]
fn one_model_per_kind_and_a_new_training_file_forgets_them() {
    let mut s = Session::new();
    let loaded = sample(&mut s, 1);
    assert!(matches!(first_reply(&loaded), Reply::Loaded { slot: Slot::Train, models_cleared: true, .. }));
    let first = send(&mut s, json!({"id": 2, "type": "train", "models": [forest()]}), None);
    assert_closed(&first, &[2]);
    let [(a, ModelKind::If, false, None)] = results(&first)[..] else { panic!("one forest result: {first:?}") };
    let second = send(&mut s, json!({"id": 3, "type": "train", "models": [forest()]}), None);
    let [(b, ModelKind::If, false, Some(replaced))] = results(&second)[..] else { panic!("{second:?}") };
    assert_eq!(replaced, a, "the new forest replaces the old one");
    assert_ne!(a, b);
    let kept: Vec<u32> = s.results().iter().map(|r| r.model.id).collect();
    assert_eq!(kept, vec![b]);
    // A model file of the same kind replaces it too.
    let bytes = s.model_bytes(b).unwrap();
    let added = send(&mut s, json!({"id": 4, "type": "add_model", "source": "file"}), Some(Attachment::Bytes(bytes)));
    let [(c, ModelKind::If, false, Some(r))] = results(&added)[..] else { panic!("{added:?}") };
    assert_eq!((r, s.results().len()), (b, 1));
    // Its sorted scores travel with it: as many as the test set has rows.
    let Some(Reply::Result { scores, .. }) = added.iter().map(|r| &r.reply).find(|r| matches!(r, Reply::Result { .. }))
    else {
        unreachable!()
    };
    assert_eq!(scores[0].normal.len() + scores[0].attack.len(), 3000);
    assert!(scores[0].normal.windows(2).all(|w| w[0] <= w[1]), "ascending");
    // A new training file forgets every model.
    let text = synth::generate(2000, 0.3, Format::Kdd99, 9);
    let reloaded = send(
        &mut s,
        json!({"id": 5, "type": "load", "slot": "train", "name": "b.csv"}),
        Some(Attachment::Bytes(text.into_bytes())),
    );
    assert!(matches!(first_reply(&reloaded), Reply::Loaded { models_cleared: true, .. }), "{reloaded:?}");
    assert!(s.results().is_empty());
    assert!(s.kind_of(c).is_none());
}

#[test]
fn a_protocol_or_test_file_change_rescores_every_model() {
    let mut s = Session::new();
    sample(&mut s, 1);
    send(&mut s, json!({"id": 2, "type": "train", "models": [forest(), dense(1)]}), None);
    let before = s.results();
    assert_eq!(before.len(), 2);
    let changed = send(
        &mut s,
        json!({"id": 3, "type": "protocol", "choice": {"kind": "holdout", "train_fraction": 0.8, "seed": 1}}),
        None,
    );
    assert_closed(&changed, &[3]);
    let Reply::Split { summary, .. } = first_reply(&changed) else { panic!("split first: {changed:?}") };
    let rescored = results(&changed);
    assert_eq!(rescored.len(), 2);
    assert!(rescored.iter().all(|&(_, _, again, _)| again));
    for r in s.results() {
        assert_eq!(r.views[0].test_set, "holdout");
        assert_eq!(r.views[0].evaluation.as_ref().unwrap().rows as usize, summary.tests[0].rows);
        // Not stale: the slider's scores are there.
        assert!(s.sorted_scores(r.model.id, "holdout").is_ok());
    }
    // Train-test needs a test file first: refused, and the protocol stays.
    let refused = send(&mut s, json!({"id": 4, "type": "protocol", "choice": {"kind": "train-test"}}), None);
    assert_eq!(errors(&refused)[0].code, "session");
    assert!(results(&refused).is_empty());
    let load_test = |s: &mut Session, id: u64, rows: usize, seed: u64| {
        let test = synth::generate(rows, 0.4, Format::Kdd99, seed);
        let name = format!("test{id}.csv");
        send(
            s,
            json!({"id": id, "type": "load", "slot": "test", "name": name}),
            Some(Attachment::Bytes(test.into_bytes())),
        )
    };
    let loaded = load_test(&mut s, 5, 1000, 4);
    assert!(matches!(first_reply(&loaded), Reply::Loaded { slot: Slot::Test, models_cleared: false, .. }));
    assert!(results(&loaded).is_empty(), "not the protocol in use: nothing to re-score");
    let changed = send(&mut s, json!({"id": 6, "type": "protocol", "choice": {"kind": "train-test"}}), None);
    assert_eq!(results(&changed).len(), 2);
    // Under train-test, a new test file re-scores every model on it.
    let loaded = load_test(&mut s, 7, 1500, 5);
    assert_closed(&loaded, &[7]);
    assert!(!loaded.iter().any(|r| matches!(r.reply, Reply::Dropped { .. })), "{loaded:?}");
    assert_eq!(results(&loaded).len(), 2, "both models re-scored on the new test file");
    for r in s.results() {
        assert_eq!(r.views[0].test_set, "test7.csv");
        assert_eq!(r.views[0].evaluation.as_ref().unwrap().rows, 1500);
    }
}

#[test]
fn the_split_is_worked_out_once_per_change() {
    let mut s = Session::new();
    sample(&mut s, 1);
    send(
        &mut s,
        json!({"id": 2, "type": "protocol", "choice": {"kind": "holdout", "train_fraction": 0.5, "seed": 8}}),
        None,
    );
    send(&mut s, json!({"id": 3, "type": "train", "models": [forest()]}), None);
    let id = s.results()[0].model.id;
    let builds = s.split_builds();
    let mut answers = Vec::new();
    for (n, threshold) in [(4, 0.4), (5, 0.5), (6, 0.6)] {
        let r = send(
            &mut s,
            json!({"id": n, "type": "breakdown", "model": id, "test": "holdout", "threshold": threshold, "n": 5}),
            None,
        );
        let Reply::Breakdown { breakdown, .. } = first_reply(&r) else { panic!("{r:?}") };
        answers.push(breakdown.by_category.iter().map(|d| d.total).sum::<u64>());
    }
    assert_eq!(s.split_builds(), builds, "queries reuse the cached split");
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "the same rows every time: {answers:?}");
    send(&mut s, json!({"id": 7, "type": "protocol", "choice": {"kind": "single-file"}}), None);
    assert_eq!(s.split_builds(), builds + 1, "a new protocol: worked out again, once");
}

#[test]
fn pause_step_play_and_cancel_drive_training() {
    let mut s = Session::new();
    sample(&mut s, 1);
    let mut out = Vec::new();
    let train: Request =
        serde_json::from_value(json!({"id": 2, "type": "train", "models": [dense(4)], "paused": true})).unwrap();
    s.handle(train, None, &mut |r| out.push(r));
    drive(&mut s, &mut out);
    assert_eq!(s.activity(), Activity::Paused);
    assert!(matches!(out.last().unwrap().reply, Reply::Paused { epoch: 0, epochs: 4, kind: ModelKind::Dense }));
    let epochs = |out: &[Response]| out.iter().filter(|r| matches!(r.reply, Reply::Epoch { .. })).count();
    assert_eq!(epochs(&out), 0, "paused before the first epoch");
    // Step: exactly one epoch, then paused again.
    s.handle(serde_json::from_value(json!({"id": 3, "type": "step"})).unwrap(), None, &mut |r| out.push(r));
    assert!(out.iter().any(|r| r.id == 2 && matches!(r.reply, Reply::Playing { stepping: true, .. })));
    drive(&mut s, &mut out);
    assert_eq!((epochs(&out), s.activity()), (1, Activity::Paused));
    // Play: on to the end.
    s.handle(serde_json::from_value(json!({"id": 4, "type": "play"})).unwrap(), None, &mut |r| out.push(r));
    drive(&mut s, &mut out);
    assert_eq!((epochs(&out), s.activity()), (4, Activity::Idle));
    assert_closed(&out, &[2, 3, 4]);
    assert_eq!(results(&out).len(), 1);

    // Cancel mid-run: the running model keeps its best weights, queued training is dropped.
    let mut out = Vec::new();
    for (id, models) in [(10, json!([dense(50)])), (11, json!([forest()]))] {
        let r: Request = serde_json::from_value(json!({"id": id, "type": "train", "models": models})).unwrap();
        s.handle(r, None, &mut |r| out.push(r));
    }
    while epochs(&out) < 1 {
        s.advance(&mut |r| out.push(r));
    }
    s.handle(serde_json::from_value(json!({"id": 12, "type": "cancel"})).unwrap(), None, &mut |r| out.push(r));
    drive(&mut s, &mut out);
    assert_closed(&out, &[10, 11, 12]);
    assert!(out.iter().any(|r| r.id == 11 && r.reply == Reply::Done { cancelled: true }), "queued training dropped");
    assert!(out.iter().any(|r| r.id == 12 && matches!(r.reply, Reply::Cancelled { kind: Some(ModelKind::Dense) })));
    assert!(out.iter().any(|r| r.id == 10 && matches!(r.reply, Reply::Result { cancelled: true, .. })));
    assert!(out.iter().any(|r| r.id == 10 && r.reply == Reply::Done { cancelled: true }));
    assert!(epochs(&out) < 50);
    assert_eq!(s.activity(), Activity::Idle);
}

#[test]
fn the_mistake_demonstration_is_a_session_operation() {
    let mut s = Session::new();
    sample(&mut s, 1);
    send(&mut s, json!({"id": 2, "type": "train", "models": [forest()]}), None);
    let forest_id = s.results()[0].model.id;
    let out = send(&mut s, json!({"id": 3, "type": "mistake", "settings": dense(3)}), None);
    assert_closed(&out, &[3]);
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let Some(Reply::Mistake { normal, all_rows, all_rows_split, flipped }) =
        out.iter().map(|r| &r.reply).find(|r| matches!(r, Reply::Mistake { .. }))
    else {
        panic!("no mistake reply: {out:?}")
    };
    assert_eq!(all_rows_split.train_rows, 3000, "every row trains, attacks included");
    let auc = |v: &Option<netanomaly::session::View>| v.as_ref().unwrap().evaluation.as_ref().unwrap().roc_auc;
    let flipped_auc = flipped.as_ref().unwrap().evaluation.as_ref().unwrap().roc_auc;
    assert!((flipped_auc - (1.0 - auc(&normal.view))).abs() < 1e-9, "flipped AUC is 1 - AUC");
    assert!(auc(&all_rows.view) < auc(&normal.view), "attacks in training hide them");
    // The page's protocol is back; the all-rows model was not kept; the forest was re-scored.
    assert_eq!(s.split_summary().unwrap().train_rows, s.files().0.unwrap().normals);
    let kinds: Vec<ModelKind> = s.results().iter().map(|r| r.model.kind).collect();
    assert_eq!(kinds, vec![ModelKind::If, ModelKind::Dense]);
    assert!(results(&out).iter().any(|&(id, kind, rescored, _)| id == forest_id && kind == ModelKind::If && rescored));
    assert!(s.sorted_scores(forest_id, "all").is_ok(), "the forest's scores are current");
}

#[test]
fn errors_are_structured_and_keep_earlier_results() {
    let mut s = Session::new();
    sample(&mut s, 1);
    send(&mut s, json!({"id": 2, "type": "train", "models": [forest()]}), None);
    let before = s.results();
    let mut text = synth::generate(20, 0.3, Format::Kdd99, 3);
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[6] = lines[6].replacen(',', ",x,", 1);
    text = lines.join("\n");
    let out = send(
        &mut s,
        json!({"id": 3, "type": "load", "slot": "train", "name": "bad.csv"}),
        Some(Attachment::Bytes(text.into_bytes())),
    );
    assert_closed(&out, &[3]);
    let [e] = errors(&out)[..] else { panic!("one error: {out:?}") };
    assert_eq!((e.code.as_str(), e.line), ("load", Some(7)), "{e:?}");
    assert!(e.message.contains("line 7"), "{}", e.message);
    assert_eq!(s.results(), before, "earlier results kept");
    // A request that cannot be carried out says so, and is still closed.
    let out = send(&mut s, json!({"id": 4, "type": "add_model", "source": "nothing"}), None);
    assert_closed(&out, &[4]);
    assert_eq!(errors(&out)[0].code, "request");
    let out =
        send(&mut s, json!({"id": 5, "type": "breakdown", "model": 99, "test": "all", "threshold": 0.5, "n": 5}), None);
    assert_eq!(errors(&out)[0].code, "session");
    assert_closed(&out, &[5]);
}

/// The export replies among `replies` for request `id`: (text, next) per part.
fn parts(replies: &[Response], id: u64) -> Vec<(String, Option<usize>)> {
    replies
        .iter()
        .filter(|r| r.id == id)
        .filter_map(|r| match &r.reply {
            Reply::Export { text: Some(text), next, .. } => Some((text.clone(), *next)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_predictions_export_streams_its_parts_through_advance() {
    let mut s = Session::new();
    sample(&mut s, 1);
    send(&mut s, json!({"id": 2, "type": "train", "models": [forest()]}), None);
    let id = s.results()[0].model.id;
    let whole = s.predictions_csv(id, "all", None).unwrap();
    let export =
        json!({"id": 3, "type": "export", "what": "predictions", "model": id, "test": "all", "part_rows": 700});
    let export: Request = serde_json::from_value(export).unwrap();
    let mut out = Vec::new();
    s.handle(export, None, &mut |r| out.push(r));
    assert!(out.is_empty(), "checked, then sent by advance: {out:?}");
    assert_eq!(s.activity(), Activity::Busy);
    // One part per advance; meanwhile a quick request is answered at once, and queued
    // work (a new protocol) waits until the last part is out.
    s.advance(&mut |r| out.push(r));
    assert_eq!(parts(&out, 3).len(), 1);
    let quick = json!({"id": 4, "type": "breakdown", "model": id, "test": "all", "threshold": 0.5, "n": 3});
    s.handle(serde_json::from_value(quick).unwrap(), None, &mut |r| out.push(r));
    assert_closed(&out, &[4]);
    let holdout = json!({"id": 5, "type": "protocol", "choice": {"kind": "holdout", "train_fraction": 0.5, "seed": 2}});
    s.handle(serde_json::from_value(holdout).unwrap(), None, &mut |r| out.push(r));
    drive(&mut s, &mut out);
    assert_closed(&out, &[3, 4, 5]);
    let got = parts(&out, 3);
    // 3000 rows in parts of 700: 5 parts, each but the last naming the next row.
    let nexts: Vec<Option<usize>> = got.iter().map(|(_, n)| *n).collect();
    assert_eq!(nexts, vec![Some(700), Some(1400), Some(2100), Some(2800), None]);
    let joined: String = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(joined, whole, "the parts join into the whole file, of the rows before the protocol changed");
    let last_part = out.iter().rposition(|r| r.id == 3 && matches!(r.reply, Reply::Export { .. })).unwrap();
    let split = out.iter().position(|r| r.id == 5 && matches!(r.reply, Reply::Split { .. })).unwrap();
    assert!(last_part < split, "the protocol waited for the export");

    // A model file and the metrics come at once, in one reply.
    let out = send(&mut s, json!({"id": 6, "type": "export", "what": "model", "model": id}), None);
    let Reply::Export { bytes: Some(bytes), next: None, filename, .. } = first_reply(&out) else { panic!("{out:?}") };
    assert_eq!((bytes, filename.as_str()), (&s.model_bytes(id).unwrap(), "if.nam"));
    assert_closed(&out, &[6]);
    let out = send(&mut s, json!({"id": 7, "type": "export", "what": "metrics"}), None);
    let Reply::Export { text: Some(text), .. } = first_reply(&out) else { panic!("{out:?}") };
    assert!(text.contains("roc_auc"));
    // An export that cannot be made is an error, closed at once.
    let out = send(&mut s, json!({"id": 8, "type": "export", "what": "predictions", "model": 99, "test": "all"}), None);
    assert_eq!(errors(&out)[0].code, "session");
    assert!(parts(&out, 8).is_empty());
    assert_closed(&out, &[8]);
    // Under the default part size the whole file is one part.
    let mut s = Session::new();
    sample(&mut s, 1);
    send(&mut s, json!({"id": 2, "type": "train", "models": [forest()]}), None);
    let id = s.results()[0].model.id;
    let out = send(&mut s, json!({"id": 3, "type": "export", "what": "predictions", "model": id, "test": "all"}), None);
    let got = parts(&out, 3);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0.lines().count(), 3001);
    assert_eq!(
        first_reply(&out),
        &Reply::Export {
            what: ExportWhat::Predictions,
            filename: "predictions_if_all.csv".into(),
            text: Some(got[0].0.clone()),
            bytes: None,
            next: None,
        }
    );
}

/// The papers' presets as the page sends them: the split summary counts rows by
/// label, KDDCUP evaluates with the normal rows as the positives (and says so), and a
/// seed chooses the halves.
#[test]
fn the_papers_presets_split_by_seed_and_kddcup_counts_normal_rows_as_anomalies() {
    let mut s = Session::new();
    sample(&mut s, 1);
    let cup = send(&mut s, json!({"id": 2, "type": "protocol", "choice": {"kind": "kddcup", "seed": 3}}), None);
    assert_closed(&cup, &[2]);
    let Reply::Split { summary, .. } = first_reply(&cup) else { panic!("split first: {cup:?}") };
    let t = &summary.tests[0];
    let (normals, attacks) = (t.normals, t.attacks);
    assert!(normals > 0 && attacks > 0, "{t:?}");
    // Half the attacks train; the other half and every normal row test.
    assert!(summary.train_rows == attacks || summary.train_rows + 1 == attacks, "{} vs {attacks}", summary.train_rows);
    assert_eq!(normals + attacks, t.rows);
    let trained = send(&mut s, json!({"id": 3, "type": "train", "models": [forest()]}), None);
    assert_closed(&trained, &[3]);
    let e = s.results()[0].views[0].evaluation.clone().expect("evaluated");
    assert!(e.normal_is_anomaly);
    assert_eq!((e.attacks as usize, e.normals as usize), (normals, attacks), "positives are the normal rows");
    assert!(e.true_ratio.f1 > 0.0 && e.true_ratio.f1 <= 1.0);

    let rev = |s: &mut Session, id: u64, seed: u64| {
        let r = send(s, json!({"id": id, "type": "protocol", "choice": {"kind": "kddcup-rev", "seed": seed}}), None);
        let Reply::Split { summary, .. } = first_reply(&r).clone() else { panic!("{r:?}") };
        summary
    };
    let a = rev(&mut s, 4, 1);
    let t = &a.tests[0];
    assert_eq!(t.attacks, (t.normals + a.train_rows) / 4, "a quarter as many attacks as all normals");
    let e = s.results()[0].views[0].evaluation.clone().expect("re-scored");
    assert!(!e.normal_is_anomaly);
    assert_eq!(e.attacks as usize, t.attacks);
    let first = s.results()[0].views[0].evaluation.clone().unwrap().roc_auc;
    rev(&mut s, 5, 2);
    let other = s.results()[0].views[0].evaluation.clone().unwrap().roc_auc;
    rev(&mut s, 6, 1);
    assert_eq!(s.results()[0].views[0].evaluation.clone().unwrap().roc_auc, first, "the same seed, the same split");
    assert_ne!(first, other, "another seed, other halves");
}

/// `explain` answers at once with every feature's share of a record's score (the same
/// score the model gave it); a record past the file's end is a structured error.
#[test]
fn explain_answers_with_each_features_share_and_refuses_a_record_past_the_end() {
    let mut s = Session::new();
    sample(&mut s, 1);
    let trained = send(&mut s, json!({"id": 2, "type": "train", "models": [dense(2)]}), None);
    let [(id, ModelKind::Dense, ..)] = results(&trained)[..] else { panic!("{trained:?}") };
    let test = s.results()[0].views[0].test_set.clone();
    let asked = send(&mut s, json!({"id": 3, "type": "explain", "model": id, "test": test, "record": 7}), None);
    assert_closed(&asked, &[3]);
    let Reply::Explanation { explanation: e, .. } = first_reply(&asked) else { panic!("{asked:?}") };
    assert_eq!((e.record_id, e.features.len()), (7, 41));
    assert!((e.features.iter().map(|f| f.share).sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(e.features.windows(2).all(|w| w[0].share >= w[1].share));
    assert!(e.features.iter().all(|f| f.reconstruction.is_some()), "an autoencoder shows its reconstruction");
    let past = send(&mut s, json!({"id": 4, "type": "explain", "model": id, "test": test, "record": 3000}), None);
    assert_closed(&past, &[4]);
    let err = errors(&past);
    assert_eq!(err[0].code, "explain");
    assert!(err[0].message.contains("record 3000 is not in the file"), "{}", err[0].message);
}
