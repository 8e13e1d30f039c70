// scenario-background-logging.md, items only: `start_writing_logs` spawns
// a task that pulls items from an `AsyncIterator` and writes them out. What
// each executor style asks of the iterator is written as the where clauses
// of a trait, and `start_writing_logs`'s own where clauses as those of an
// impl of it: the impl is accepted exactly when they are enough.
#![feature(return_type_notation)]
//@ revisions: explicit implied boxed

pub trait AsyncIterator {
    type Item;
    async fn next(&mut self) -> Self::Item;
}

/// Thread-local executor: nothing has to be `Send`.
pub trait SpawnLocal<I: AsyncIterator<Item = String> + 'static> {}
/// Work-dealing (thread-per-core): the initial closure, which owns the
/// iterator, is sent to a thread once; the future it returns never moves.
pub trait SpawnDealing<I: AsyncIterator<Item = String> + Send + 'static> {}
/// Work-stealing: the closure and the future it returns must be `Send`, and
/// so must the future of `next` awaited inside it (the document's
/// `I::NextFuture: Send`, in return type notation).
pub trait SpawnStealing<I: AsyncIterator<Item = String, next(..): Send> + Send + 'static> {}

/// `start_writing_logs` as the document writes it: the iterator is `Send`
/// and `'static`, and nothing is said about the future of `next`.
pub struct WriteLogs;
impl<I> SpawnLocal<I> for WriteLogs where I: AsyncIterator<Item = String> + 'static {}
impl<I> SpawnDealing<I> for WriteLogs where I: AsyncIterator<Item = String> + Send + 'static {}
impl<I> SpawnStealing<I> for WriteLogs where I: AsyncIterator<Item = String> + Send + 'static {}
//[explicit]~^ ERROR ill-formed-impl

/// With the bound the document asks for, work stealing is accepted under
/// every design. (chalk cannot check the well-formedness of an impl with a
/// return type notation bound; chalkboard says so.)
pub struct WriteLogsSend;
impl<I> SpawnStealing<I> for WriteLogsSend where
    I: AsyncIterator<Item = String, next(..): Send> + Send + 'static
//~^^ WARN unchecked-well-formedness
{
}

/// The function itself (its body, the spawn, is the body checker's).
pub async fn start_writing_logs(logs: impl AsyncIterator<Item = String> + 'static) {
    let _ = logs;
}
