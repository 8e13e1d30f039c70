// scenario-background-logging.md: `start_writing_logs` spawns a task that
// pulls items from an `AsyncIterator` and writes them out, under each
// executor style. A thread-local executor needs nothing `Send`; a
// work-stealing one needs the initial closure and the future it returns to
// be `Send`, so the future of `next` must be `Send`: the document's
// `I::NextFuture: Send`, in return type notation `next(..): Send`. Under the
// implied design `I: Send` implies it; under the boxed design every future
// is `Send`. The three `spawn`s are declared here as each executor style
// declares it. (The document's `next` returns `Self::Item` but is matched
// with `Some(..)`; here it returns `Option<Self::Item>`.)
//@ revisions: explicit implied boxed
#![feature(return_type_notation)]

pub trait AsyncIterator {
    type Item;
    async fn next(&mut self) -> Option<Self::Item>;
}

async fn send_to_serve(_log: String) {}

mod thread_local {
    /// Nothing leaves the thread.
    pub fn spawn<C, F>(c: C)
    where
        C: FnOnce() -> F + 'static,
        F: std::future::Future<Output = ()> + 'static,
    {
        drop(c);
    }
}

mod work_dealing {
    /// The initial closure is sent to a thread once; its future stays there.
    pub fn spawn<C, F>(c: C)
    where
        C: FnOnce() -> F + Send + 'static,
        F: std::future::Future<Output = ()> + 'static,
    {
        drop(c);
    }
}

mod work_stealing {
    /// The closure is sent, and its future may move at every `.await`.
    pub fn spawn<C, F>(c: C)
    where
        C: FnOnce() -> F + Send + 'static,
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        drop(c);
    }
}

pub async fn start_writing_logs_locally(mut logs: impl AsyncIterator<Item = String> + 'static) {
    thread_local::spawn(async move || {
        while let Some(log) = logs.next().await {
            send_to_serve(log).await;
        }
    });
}

pub async fn start_writing_logs_dealing(mut logs: impl AsyncIterator<Item = String> + Send + 'static) {
    work_dealing::spawn(async move || {
        while let Some(log) = logs.next().await {
            send_to_serve(log).await;
        }
    });
}

pub async fn start_writing_logs(mut logs: impl AsyncIterator<Item = String> + Send + 'static) {
    work_stealing::spawn(async move || {
        //[explicit]~^ ERROR future cannot be sent between threads safely
        while let Some(log) = logs.next().await {
            send_to_serve(log).await;
        }
    });
}

pub async fn start_writing_logs_rtn<I>(mut logs: I)
where
    I: AsyncIterator<Item = String, next(..): Send> + Send + 'static,
{
    work_stealing::spawn(async move || {
        while let Some(log) = logs.next().await {
            send_to_serve(log).await;
        }
    });
}
