//! Progress events of the runs this process is executing, for `GET /api/sync/runs/{id}/events`
//! (Server-Sent Events). One broadcast channel per running run; a late subscriber to a run that
//! is not running here reads its state from `sync_runs` instead.

use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::broadcast;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressEvent {
    pub run_id: i64,
    pub done: usize,
    pub total: usize,
    pub message: String,
    /// Set on the last event: the run's final status.
    pub status: Option<String>,
}

static RUNNING: Mutex<Option<HashMap<i64, broadcast::Sender<ProgressEvent>>>> = Mutex::new(None);

fn with<T>(f: impl FnOnce(&mut HashMap<i64, broadcast::Sender<ProgressEvent>>) -> T) -> T {
    let mut guard = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(HashMap::new))
}

/// The publishing side of one run; dropping it without `finished` still closes the channel.
pub struct Publisher {
    run_id: i64,
    tx: broadcast::Sender<ProgressEvent>,
}

pub fn open(run_id: i64) -> Publisher {
    let (tx, _) = broadcast::channel(256);
    with(|m| m.insert(run_id, tx.clone()));
    Publisher { run_id, tx }
}

/// Events of a run executing in this process, from now on.
pub fn subscribe(run_id: i64) -> Option<broadcast::Receiver<ProgressEvent>> {
    with(|m| m.get(&run_id).map(broadcast::Sender::subscribe))
}

impl Publisher {
    pub fn progress(&self, done: usize, total: usize, message: &str) {
        // No subscriber is not an error.
        let _ = self.tx.send(ProgressEvent {
            run_id: self.run_id,
            done,
            total,
            message: message.to_owned(),
            status: None,
        });
    }

    pub fn finished(&self, status: &str) {
        let _ = self.tx.send(ProgressEvent {
            run_id: self.run_id,
            done: 0,
            total: 0,
            message: "finished".into(),
            status: Some(status.to_owned()),
        });
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        with(|m| m.remove(&self.run_id));
    }
}
