// A trait where a type belongs: a bare trait name in a field's type is not a
// type in edition 2024 (rustc's E0782, "expected a type, found a trait");
// `dyn HealthCheck` or a type parameter is meant.
//@ revisions: explicit

pub trait HealthCheck {
    fn name(&self) -> u32;
}

pub struct Registry {
    check: Box<HealthCheck>,
    //~^ ERROR expected a type, found trait `HealthCheck`
}
