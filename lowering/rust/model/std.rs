// chalkboard's model of the standard library, read with every Rust file.
//
// It declares the part of `std` (and of `tokio` and `futures`) that the
// async design questions turn on, as the trait solver sees it: traits with
// their associated types and methods, types with the fields that decide
// their auto traits, the impls that say otherwise, and the signatures of
// the functions a design review calls. Function bodies are left out: only
// signatures matter to a caller. `chalkboard prelude --rust` prints this
// file; docs/rust.md describes what it models and what it leaves out.
//
// Items are found by their std paths (`use std::rc::Rc;`, `tokio::spawn`),
// `core::` and `alloc::` name the same modules as `std::`, and the items of
// `std::prelude::rust_2024` are in scope everywhere, as in Rust.

mod std {
    pub mod marker {
        /// Types that can be sent to another thread.
        pub unsafe auto trait Send {}
        /// Types whose shared references can be sent to another thread.
        pub unsafe auto trait Sync {}
        /// Types with a size known at compile time.
        #[lang = "sized"]
        pub trait Sized {}
        /// Types that may be moved after being pinned.
        pub auto trait Unpin {}
        /// Types that are copied bit for bit.
        #[lang = "copy"]
        pub trait Copy: Clone {}
        /// A zero-sized type that acts as if it owned a `T`.
        #[lang = "phantom_data"]
        pub struct PhantomData<T: ?Sized>;
    }

    pub mod clone {
        #[lang = "clone"]
        pub trait Clone {
            fn clone(&self) -> Self;
        }
    }

    /// The primitive types are `Copy` (and so `Clone`), as libcore says;
    /// chalk leaves these impls to the library.
    mod primitive_impls {
        impl Clone for bool { fn clone(&self) -> Self; }
        impl Copy for bool {}
        impl Clone for char { fn clone(&self) -> Self; }
        impl Copy for char {}
        impl Clone for u8 { fn clone(&self) -> Self; }
        impl Copy for u8 {}
        impl Clone for u16 { fn clone(&self) -> Self; }
        impl Copy for u16 {}
        impl Clone for u32 { fn clone(&self) -> Self; }
        impl Copy for u32 {}
        impl Clone for u64 { fn clone(&self) -> Self; }
        impl Copy for u64 {}
        impl Clone for u128 { fn clone(&self) -> Self; }
        impl Copy for u128 {}
        impl Clone for usize { fn clone(&self) -> Self; }
        impl Copy for usize {}
        impl Clone for i8 { fn clone(&self) -> Self; }
        impl Copy for i8 {}
        impl Clone for i16 { fn clone(&self) -> Self; }
        impl Copy for i16 {}
        impl Clone for i32 { fn clone(&self) -> Self; }
        impl Copy for i32 {}
        impl Clone for i64 { fn clone(&self) -> Self; }
        impl Copy for i64 {}
        impl Clone for i128 { fn clone(&self) -> Self; }
        impl Copy for i128 {}
        impl Clone for isize { fn clone(&self) -> Self; }
        impl Copy for isize {}
        impl Clone for f32 { fn clone(&self) -> Self; }
        impl Copy for f32 {}
        impl Clone for f64 { fn clone(&self) -> Self; }
        impl Copy for f64 {}
        impl<'a, T: ?Sized> Clone for &'a T { fn clone(&self) -> Self; }
        impl<'a, T: ?Sized> Copy for &'a T {}
    }

    pub mod default {
        pub trait Default {
            fn default() -> Self;
        }
    }

    pub mod ops {
        #[lang = "fn_once"]
        pub trait FnOnce<Args> {
            type Output;
        }
        #[lang = "fn_mut"]
        pub trait FnMut<Args>: FnOnce<Args> {}
        #[lang = "fn"]
        pub trait Fn<Args>: FnMut<Args> {}
        pub trait Deref {
            type Target: ?Sized;
            fn deref(&self) -> &Self::Target;
        }
        pub trait DerefMut: Deref {
            fn deref_mut(&mut self) -> &mut Self::Target;
        }
        pub trait Drop {
            fn drop(&mut self);
        }
    }

    pub mod future {
        /// An asynchronous computation.
        #[lang = "future"]
        pub trait Future {
            type Output;
        }
        /// What `.await` accepts: every future, and whatever converts into one.
        pub trait IntoFuture {
            type Output;
            type IntoFuture: Future<Output = Self::Output>;
            fn into_future(self) -> Self::IntoFuture;
        }
        impl<F: Future> IntoFuture for F {
            type Output = <F as Future>::Output;
            type IntoFuture = F;
            fn into_future(self) -> F;
        }
        /// A future that is ready at once.
        pub struct Ready<T> {
            value: Option<T>,
        }
        impl<T> Future for Ready<T> {
            type Output = T;
        }
        pub fn ready<T>(value: T) -> Ready<T>;
    }

    pub mod option {
        pub enum Option<T> {
            None,
            Some(T),
        }
        impl<T> Option<T> {
            pub fn unwrap(self) -> T;
            pub fn expect(self, message: &str) -> T;
            pub fn is_some(&self) -> bool;
            pub fn is_none(&self) -> bool;
        }
        impl<T: Clone> Clone for Option<T> {
            fn clone(&self) -> Self;
        }
    }

    pub mod result {
        pub enum Result<T, E> {
            Ok(T),
            Err(E),
        }
        impl<T, E> Result<T, E> {
            pub fn unwrap(self) -> T;
            pub fn expect(self, message: &str) -> T;
            pub fn is_ok(&self) -> bool;
            pub fn is_err(&self) -> bool;
        }
    }

    pub mod boxed {
        /// A pointer to a value on the heap: `Send` and `Sync` when `T` is,
        /// and sized whatever `T` is (the pointer is the field's
        /// `PhantomData<T>`, which is sized and carries `T`'s auto traits).
        pub struct Box<T: ?Sized> {
            value: crate::marker::PhantomData<T>,
        }
        impl<T> Box<T> {
            pub fn new(value: T) -> Box<T>;
            pub fn pin(value: T) -> crate::pin::Pin<Box<T>>;
        }
        impl<T: ?Sized> crate::ops::Deref for Box<T> {
            type Target = T;
            fn deref(&self) -> &T;
        }
        impl<T: Clone> Clone for Box<T> {
            fn clone(&self) -> Self;
        }
        impl<F: crate::future::Future + ?Sized + crate::marker::Unpin> crate::future::Future for Box<F> {
            type Output = <F as crate::future::Future>::Output;
        }
    }

    pub mod pin {
        /// A pointer whose pointee will not move again.
        pub struct Pin<P> {
            pointer: P,
        }
        impl<P: crate::ops::Deref> crate::ops::Deref for Pin<P> {
            type Target = <P as crate::ops::Deref>::Target;
            fn deref(&self) -> &Self::Target;
        }
        impl<F: crate::future::Future + ?Sized> crate::future::Future for Pin<crate::boxed::Box<F>> {
            type Output = <F as crate::future::Future>::Output;
        }
        impl<P: Clone> Clone for Pin<P> {
            fn clone(&self) -> Self;
        }
    }

    pub mod rc {
        /// A reference-counted pointer: never `Send` nor `Sync`, whatever `T` is.
        pub struct Rc<T: ?Sized> {
            value: T,
        }
        impl<T: ?Sized> !Send for Rc<T> {}
        impl<T: ?Sized> !Sync for Rc<T> {}
        impl<T> Rc<T> {
            pub fn new(value: T) -> Rc<T>;
        }
        impl<T: ?Sized> Clone for Rc<T> {
            fn clone(&self) -> Self;
        }
        impl<T: ?Sized> crate::ops::Deref for Rc<T> {
            type Target = T;
            fn deref(&self) -> &T;
        }
    }

    pub mod sync {
        /// An atomically reference-counted pointer: `Send` and `Sync` exactly
        /// when `T` is both.
        pub struct Arc<T: ?Sized> {
            value: T,
        }
        unsafe impl<T: ?Sized + Sync + Send> Send for Arc<T> {}
        unsafe impl<T: ?Sized + Sync + Send> Sync for Arc<T> {}
        impl<T> Arc<T> {
            pub fn new(value: T) -> Arc<T>;
        }
        impl<T: ?Sized> Clone for Arc<T> {
            fn clone(&self) -> Self;
        }
        impl<T: ?Sized> crate::ops::Deref for Arc<T> {
            type Target = T;
            fn deref(&self) -> &T;
        }

        /// A lock: `Send` when `T` is, `Sync` when `T` is `Send`.
        pub struct Mutex<T: ?Sized> {
            data: crate::cell::UnsafeCell<T>,
        }
        unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
        unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}
        impl<T> Mutex<T> {
            pub fn new(value: T) -> Mutex<T>;
        }
        impl<T: ?Sized> Mutex<T> {
            pub fn lock(&self) -> LockResult<MutexGuard<'_, T>>;
        }
        /// A held lock: never `Send` (it must be released on the thread that
        /// took it), `Sync` when `T` is.
        pub struct MutexGuard<'a, T: ?Sized> {
            lock: &'a Mutex<T>,
        }
        impl<'a, T: ?Sized> !Send for MutexGuard<'a, T> {}
        unsafe impl<'a, T: ?Sized + Sync> Sync for MutexGuard<'a, T> {}
        impl<'a, T: ?Sized> crate::ops::Deref for MutexGuard<'a, T> {
            type Target = T;
            fn deref(&self) -> &T;
        }
        impl<'a, T: ?Sized> crate::ops::DerefMut for MutexGuard<'a, T> {
            fn deref_mut(&mut self) -> &mut T;
        }
        pub struct PoisonError<G> {
            guard: G,
        }
        pub type LockResult<G> = Result<G, PoisonError<G>>;

        pub mod atomic {
            /// The atomics are `Send` and `Sync`.
            pub struct AtomicBool {
                v: crate::cell::UnsafeCell<u8>,
            }
            pub struct AtomicUsize {
                v: crate::cell::UnsafeCell<usize>,
            }
            pub struct AtomicU32 {
                v: crate::cell::UnsafeCell<u32>,
            }
            pub struct AtomicU64 {
                v: crate::cell::UnsafeCell<u64>,
            }
            unsafe impl Sync for AtomicBool {}
            unsafe impl Sync for AtomicUsize {}
            unsafe impl Sync for AtomicU32 {}
            unsafe impl Sync for AtomicU64 {}
            pub enum Ordering {
                Relaxed,
                Release,
                Acquire,
                AcqRel,
                SeqCst,
            }
            impl AtomicUsize {
                pub fn new(value: usize) -> AtomicUsize;
                pub fn load(&self, order: Ordering) -> usize;
                pub fn fetch_add(&self, value: usize, order: Ordering) -> usize;
            }
            impl AtomicBool {
                pub fn new(value: bool) -> AtomicBool;
                pub fn load(&self, order: Ordering) -> bool;
                pub fn store(&self, value: bool, order: Ordering);
            }
        }
    }

    pub mod cell {
        /// The core of every interior mutability: not `Sync`.
        pub struct UnsafeCell<T: ?Sized> {
            value: T,
        }
        impl<T: ?Sized> !Sync for UnsafeCell<T> {}
        /// `Send` when `T` is, never `Sync`.
        pub struct Cell<T: ?Sized> {
            value: UnsafeCell<T>,
        }
        impl<T> Cell<T> {
            pub fn new(value: T) -> Cell<T>;
            pub fn set(&self, value: T);
        }
        impl<T: Copy> Cell<T> {
            pub fn get(&self) -> T;
        }
        /// `Send` when `T` is, never `Sync`.
        pub struct RefCell<T: ?Sized> {
            value: UnsafeCell<T>,
        }
        impl<T> RefCell<T> {
            pub fn new(value: T) -> RefCell<T>;
        }
    }

    pub mod string {
        /// An owned string: `Send` and `Sync`.
        pub struct String {
            bytes: crate::vec::Vec<u8>,
        }
        impl String {
            pub fn new() -> String;
            pub fn len(&self) -> usize;
            pub fn push_str(&mut self, s: &str);
        }
        impl Clone for String {
            fn clone(&self) -> Self;
        }
        pub trait ToString {
            fn to_string(&self) -> String;
        }
        impl ToString for str {
            fn to_string(&self) -> String;
        }
        impl ToString for String {
            fn to_string(&self) -> String;
        }
    }

    pub mod vec {
        /// A growable array: `Send` and `Sync` when `T` is.
        pub struct Vec<T> {
            elements: crate::boxed::Box<T>,
        }
        impl<T> Vec<T> {
            pub fn new() -> Vec<T>;
            pub fn push(&mut self, value: T);
            pub fn len(&self) -> usize;
            pub fn is_empty(&self) -> bool;
            pub fn iter(&self) -> crate::slice::Iter<'_, T>;
        }
        impl<T: Clone> Clone for Vec<T> {
            fn clone(&self) -> Self;
        }
        impl<T> crate::iter::FromIterator<T> for Vec<T> {
            fn from_iter<I>(iter: I) -> Vec<T>
            where
                I: crate::iter::IntoIterator<Item = T>;
        }
        impl<T> crate::iter::IntoIterator for Vec<T> {
            type Item = T;
            type IntoIter = IntoIter<T>;
            fn into_iter(self) -> IntoIter<T>;
        }
        pub struct IntoIter<T> {
            elements: crate::boxed::Box<T>,
        }
        impl<T> crate::iter::Iterator for IntoIter<T> {
            type Item = T;
            fn next(&mut self) -> Option<T>;
        }
    }

    pub mod slice {
        pub struct Iter<'a, T> {
            slice: &'a T,
        }
        impl<'a, T> crate::iter::Iterator for Iter<'a, T> {
            type Item = &'a T;
            fn next(&mut self) -> Option<&'a T>;
        }
    }

    pub mod iter {
        pub trait Iterator {
            type Item;
            fn next(&mut self) -> Option<Self::Item>;
            fn map<B, F>(self, f: F) -> Map<Self, F>
            where
                Self: Sized,
                F: FnMut(Self::Item) -> B;
            fn collect<B>(self) -> B
            where
                Self: Sized,
                B: FromIterator<Self::Item>;
        }
        /// The iterator `map` returns.
        pub struct Map<I, F> {
            iter: I,
            f: F,
        }
        impl<B, I: Iterator, F> Iterator for Map<I, F>
        where
            F: FnMut(I::Item) -> B,
        {
            type Item = B;
            fn next(&mut self) -> Option<B>;
        }
        /// What `collect` builds.
        pub trait FromIterator<A> {
            fn from_iter<T>(iter: T) -> Self
            where
                T: IntoIterator<Item = A>;
        }
        pub trait IntoIterator {
            type Item;
            type IntoIter: Iterator<Item = Self::Item>;
            fn into_iter(self) -> Self::IntoIter;
        }
        impl<I: Iterator> IntoIterator for I {
            type Item = <I as Iterator>::Item;
            type IntoIter = I;
            fn into_iter(self) -> I;
        }
    }

    pub mod convert {
        pub trait From<T> {
            fn from(value: T) -> Self;
        }
        pub trait Into<T> {
            fn into(self) -> T;
        }
        impl<T, U: From<T>> Into<U> for T {
            fn into(self) -> U;
        }
    }

    pub mod fmt {
        pub trait Debug {}
        pub trait Display {}
    }

    pub mod time {
        pub struct Duration {
            secs: u64,
            nanos: u32,
        }
        impl Duration {
            pub fn from_secs(secs: u64) -> Duration;
            pub fn from_millis(millis: u64) -> Duration;
        }
        impl Clone for Duration {
            fn clone(&self) -> Self;
        }
        impl Copy for Duration {}
    }

    pub mod mem {
        pub fn drop<T>(value: T);
    }

    pub mod io {
        pub struct Error {
            kind: u8,
        }
        pub type Result<T> = crate::result::Result<T, Error>;
    }

    pub mod thread {
        /// Runs `f` on a new thread: `f` and what it returns cross threads,
        /// and may outlive the caller.
        pub fn spawn<F, T>(f: F) -> JoinHandle<T>
        where
            F: FnOnce() -> T + Send + 'static,
            T: Send + 'static;
        pub struct JoinHandle<T> {
            result: Option<T>,
        }
    }

    pub mod prelude {
        pub mod rust_2024 {
            pub use crate::marker::{Copy, Send, Sized, Sync};
            pub use crate::ops::{Drop, Fn, FnMut, FnOnce};
            pub use crate::mem::drop;
            pub use crate::boxed::Box;
            pub use crate::clone::Clone;
            pub use crate::default::Default;
            pub use crate::convert::{From, Into};
            pub use crate::iter::{FromIterator, IntoIterator, Iterator};
            pub use crate::option::Option;
            pub use crate::option::Option::{None, Some};
            pub use crate::result::Result;
            pub use crate::result::Result::{Err, Ok};
            pub use crate::string::{String, ToString};
            pub use crate::vec::Vec;
            pub use crate::future::{Future, IntoFuture};
        }
    }
}

mod tokio {
    /// Spawns a task on a work-stealing runtime: the future may move between
    /// threads at every `.await`, so it must be `Send`, and it may outlive
    /// the caller, so it must be `'static`.
    pub fn spawn<F>(future: F) -> task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    pub mod task {
        /// Spawns a task on the current thread's `LocalSet`: nothing needs
        /// to be `Send`.
        pub fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
        where
            F: Future + 'static,
            F::Output: 'static;
        pub struct JoinHandle<T> {
            result: Option<T>,
        }
        impl<T> Future for JoinHandle<T> {
            type Output = Result<T, JoinError>;
        }
        pub struct JoinError {
            id: u64,
        }
    }

    pub mod time {
        pub async fn sleep(duration: std::time::Duration);
    }

    pub mod sync {
        /// tokio's mutex: its guard is `Send` when `T` is, so it may be held
        /// across an `.await` in a spawned task.
        pub struct Mutex<T: ?Sized> {
            data: std::cell::UnsafeCell<T>,
        }
        unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
        unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}
        impl<T> Mutex<T> {
            pub fn new(value: T) -> Mutex<T>;
        }
        impl<T: ?Sized> Mutex<T> {
            pub async fn lock(&self) -> MutexGuard<'_, T>;
        }
        pub struct MutexGuard<'a, T: ?Sized> {
            lock: &'a Mutex<T>,
        }
    }
}

mod futures {
    pub mod executor {
        /// Runs a future to completion on the current thread.
        pub fn block_on<F: Future>(future: F) -> F::Output;
    }

    pub mod future {
        /// Waits for every future of the iterator.
        pub fn join_all<I>(iter: I) -> JoinAll<<I as IntoIterator>::Item>
        where
            I: IntoIterator,
            <I as IntoIterator>::Item: Future;
        pub struct JoinAll<F: Future> {
            futures: Vec<F>,
        }
        impl<F: Future> Future for JoinAll<F> {
            type Output = Vec<<F as Future>::Output>;
        }
    }
}

mod dyner {
    /// What `DynTrait::from_ref` gives (docs/macros.md): it derefs to
    /// `&DynTrait` and never to `&mut DynTrait`, so only the trait's `&self`
    /// methods can be called through it.
    pub struct Ref<T> {
        value: T,
    }
    impl<T> core::ops::Deref for Ref<T> {
        type Target = T;
        fn deref(&self) -> &T;
    }

    /// The future of a method called through a `Dyn` type:
    /// `Pin<Box<dyn Future<Output = T> + 'a>>`, which says no `Send`, so it
    /// is neither `Send` nor `Sync`. (Declared without its `dyn` field,
    /// which chalk 0.104 cannot check, and with the auto traits the field
    /// would give.)
    pub struct BoxFuture<'a, T> {
        output: core::marker::PhantomData<&'a T>,
    }
    impl<'a, T> !Send for BoxFuture<'a, T> {}
    impl<'a, T> !Sync for BoxFuture<'a, T> {}
    impl<'a, T> Future for BoxFuture<'a, T> {
        type Output = T;
    }
    impl<'a, T> BoxFuture<'a, T> {
        pub fn new(future: impl Future<Output = T> + 'a) -> BoxFuture<'a, T>;
    }

    /// The traits of the std prelude with their `Dyn` types, as `#[dyner]`
    /// would generate them: each holds a `Box<dyn Trait + 'me>`, which says
    /// no `Send`, so it is neither `Send` nor `Sync` (declared, as
    /// `BoxFuture` is, with the auto traits the box would give).
    pub mod std {
        pub mod iter {
            pub use core::iter::Iterator;
            pub struct DynIterator<'me, I> {
                inner: core::marker::PhantomData<&'me I>,
            }
            impl<'me, I> !Send for DynIterator<'me, I> {}
            impl<'me, I> !Sync for DynIterator<'me, I> {}
            impl<'me, I> core::iter::Iterator for DynIterator<'me, I> {
                type Item = I;
                fn next(&mut self) -> Option<I>;
            }
            impl<'me, I> DynIterator<'me, I> {
                pub fn new(value: impl core::iter::Iterator<Item = I> + 'me) -> DynIterator<'me, I>;
                pub fn from(value: impl core::iter::Iterator<Item = I> + 'me) -> DynIterator<'me, I>;
                pub fn from_ref(value: &'me impl core::iter::Iterator<Item = I>) -> crate::Ref<DynIterator<'me, I>>;
                pub fn from_mut(value: &'me mut impl core::iter::Iterator<Item = I>) -> &'me mut DynIterator<'me, I>;
            }
        }
        pub mod string {
            pub use core::string::ToString;
            pub struct DynToString<'me> {
                inner: core::marker::PhantomData<&'me ()>,
            }
            impl<'me> !Send for DynToString<'me> {}
            impl<'me> !Sync for DynToString<'me> {}
            impl<'me> core::string::ToString for DynToString<'me> {
                fn to_string(&self) -> String;
            }
            impl<'me> DynToString<'me> {
                pub fn new(value: impl core::string::ToString + 'me) -> DynToString<'me>;
                pub fn from(value: impl core::string::ToString + 'me) -> DynToString<'me>;
                pub fn from_ref(value: &'me impl core::string::ToString) -> crate::Ref<DynToString<'me>>;
                pub fn from_mut(value: &'me mut impl core::string::ToString) -> &'me mut DynToString<'me>;
            }
        }
        /// `use dyner::std::prelude::*` gives the traits with a `Dyn` type
        /// and their `Dyn` types (the rest of the std prelude is in scope
        /// anyway).
        pub mod prelude {
            pub use super::iter::{DynIterator, Iterator};
            pub use super::string::{DynToString, ToString};
        }
    }
}

mod cc_traits {
    /// The `Clear` trait of the cc-traits crate (0.7), which the Stage 1
    /// explainer's `dyner::external_trait!` example names.
    pub trait Clear {
        fn clear(&mut self);
    }
}

/// What the language says of its built-in types that chalk's rules do not,
/// and impls of std's types declared here rather than beside them. (Kept at
/// the end of the model, so that adding to it moves no line a diagnostic
/// shows.)
mod language {
    /// A shared reference is `Send` when its referent is `Sync`, as in Rust;
    /// chalk's own rule for references would ask `T: Send`.
    unsafe impl<'a, T: ?Sized + core::marker::Sync> core::marker::Send for &'a T {}
    /// A box and a pinned pointer to an `Unpin` value may be modified
    /// through (a `&mut self` method called through them needs it).
    impl<T: ?Sized> core::ops::DerefMut for core::boxed::Box<T> {
        fn deref_mut(&mut self) -> &mut T;
    }
    impl<P: core::ops::DerefMut> core::ops::DerefMut for core::pin::Pin<P>
    where
        <P as core::ops::Deref>::Target: core::marker::Unpin,
    {
        fn deref_mut(&mut self) -> &mut <P as core::ops::Deref>::Target;
    }
}
