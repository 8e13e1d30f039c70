// The three macros in one program: a health check with
// `#[trait_variant::make]`, a logger with `#[async_trait]`, and a reporter
// with `#[dyner]`. One
// type implements all three. The variant's future and the async-trait
// logger's boxed future are `Send`, the dyner reporter's future is not: a
// spawned task may use the first two, and only a local task the third.
//@ revisions: explicit implied boxed

use async_trait::async_trait;
use dyner::dyner;

pub struct Server;

#[trait_variant::make(HealthCheck: Send)]
pub trait LocalHealthCheck {
    async fn check(&mut self, server: &Server) -> bool;
}

#[async_trait]
pub trait Logger {
    async fn log(&self, message: String);
}

#[dyner]
//[implied]~^ ERROR `report` must be `Send` whenever `DynReporter<'me>` is `Send`
//[boxed]~| ERROR `report` must be `Send`
pub trait Reporter {
    async fn report(&mut self, healthy: bool);
}

pub fn start<H: HealthCheck + 'static>(mut check: H, logger: Box<dyn Logger + Send + Sync>, server: Server) {
    tokio::spawn(async move {
        while check.check(&server).await {}
        logger.log(String::new()).await;
    });
}

pub fn start_reporting(mut reporter: DynReporter<'static>, server: Server) {
    tokio::spawn(async move {
        //~^ ERROR future cannot be sent between threads safely
        reporter.report(true).await;
    });
    tokio::task::spawn_local(async move {
        let _server = server;
    });
}

pub struct Ping;
impl HealthCheck for Ping {
    async fn check(&mut self, _server: &Server) -> bool {
        true
    }
}
#[async_trait]
impl Logger for Ping {
    async fn log(&self, _message: String) {}
}
impl Reporter for Ping {
    async fn report(&mut self, _healthy: bool) {}
}

pub fn start_ping(server: Server, other: Server) {
    start(Ping, Box::new(Ping), server);
    start_reporting(DynReporter::new(Ping), other);
}
