//! rayon's thread pool on Web Workers, for the threaded build (pkg-threads/: atomics,
//! a shared memory). The page's worker makes a [`PoolBuilder`] and has the page start
//! one module worker a thread (`www/pool.js`) with this module and its memory; each
//! calls [`pool_thread`] and waits there; [`PoolBuilder::build`] then makes rayon's
//! global pool, handing each waiting worker one of its threads to run.
//!
//! This is what wasm-bindgen-rayon does, but its helper's workers import the wasm
//! package from the network, so offline in Firefox the pool never started; the page
//! starts these from copies it fetched through the service worker (see
//! `www/threads.js`).

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Mutex;

use rayon::{ThreadBuilder, ThreadPoolBuilder};
use wasm_bindgen::prelude::*;

/// The threads handed out to the pool's workers, one each.
struct Handout {
    sender: Sender<ThreadBuilder>,
    receiver: Mutex<Receiver<ThreadBuilder>>,
}

/// A pool being started: made by the page's worker, built once its workers wait.
#[wasm_bindgen]
pub struct PoolBuilder {
    threads: usize,
    /// Never freed (one small channel an instance): a worker may read it after the
    /// builder itself is gone, so nobody need keep the builder alive.
    handout: &'static Handout,
}

#[wasm_bindgen]
impl PoolBuilder {
    /// A pool of `threads` threads (at least 1).
    #[wasm_bindgen(constructor)]
    pub fn new(threads: usize) -> PoolBuilder {
        let (sender, receiver) = channel();
        let handout = Box::leak(Box::new(Handout { sender, receiver: Mutex::new(receiver) }));
        PoolBuilder { threads: threads.max(1), handout }
    }

    /// How many workers to start.
    #[wasm_bindgen(getter)]
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// This module and its (shared) memory, to start each worker's instance with.
    #[wasm_bindgen(getter)]
    pub fn module(&self) -> JsValue {
        wasm_bindgen::module()
    }

    /// See [`PoolBuilder::module`].
    #[wasm_bindgen(getter)]
    pub fn memory(&self) -> JsValue {
        wasm_bindgen::memory()
    }

    /// Where the workers wait for their thread (an address in the shared memory).
    #[wasm_bindgen(getter)]
    pub fn handout(&self) -> usize {
        self.handout as *const Handout as usize
    }

    /// Make rayon's global pool once every worker waits in [`pool_thread`].
    pub fn build(&self) -> Result<(), JsError> {
        let sender = self.handout.sender.clone();
        ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .spawn_handler(move |thread| {
                sender.send(thread).map_err(|_| std::io::Error::other("no pool worker is waiting"))
            })
            .build_global()
            .map_err(|e| JsError::new(&format!("the thread pool did not start: {e}")))
    }
}

/// On a pool worker: wait for one of the pool's threads and run it (rayon's loop; it
/// returns only when the pool ends). `handout` is [`PoolBuilder::handout`].
#[wasm_bindgen]
pub fn pool_thread(handout: usize) {
    // SAFETY: `handout` is the address of a builder's `Handout`, which is leaked (lives
    // for good); only its thread-safe part (a `Mutex`) is touched here.
    let handout = unsafe { &*(handout as *const Handout) };
    let thread = handout.receiver.lock().ok().and_then(|r| r.recv().ok());
    if let Some(thread) = thread {
        thread.run();
    }
}
