//! The diagnostic codes this crate emits, as values (see
//! `chalkboard_syntax::registry`). Each is documented in `docs/errors.md`.

use crate::registry::Code;

macro_rules! codes {
    ($($name:ident = ($text:literal, $summary:literal);)*) => {
        $(pub const $name: Code = Code { name: $text, summary: $summary };)*
        /// Every code of this crate.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

codes! {
    UNTERMINATED_COMMENT = ("unterminated-comment",
        "A `/*` comment is never closed; it swallows the rest of the file");
    UNTERMINATED_STRING = ("unterminated-string",
        "A string literal is never closed; it swallows the rest of the file");
    INVALID_ESCAPE = ("invalid-escape",
        "A string contains an escape sequence Rust would not accept");
    UNEXPECTED_CHARACTER = ("unexpected-character",
        "A character that starts no token, or a quote that does not start a lifetime name");
    INVALID_NUMBER = ("invalid-number",
        "A number literal that does not fit or is malformed");
    UNEXPECTED_TOKEN = ("unexpected-token",
        "The parser expected something else here; the message says what it expected");
    UNBALANCED_DELIMITER = ("unbalanced-delimiter",
        "A `(`, `[` or `{` that is never closed, or a closer that closes nothing");
    NESTING_TOO_DEEP = ("nesting-too-deep",
        "Types, bounds or goals nested deeper than the parser allows");
    RESERVED_NAME = ("reserved-name",
        "A keyword or scalar type name (`u32`, `dyn`, `impl`, ...) used as the name of an item or parameter");
    MISSING_LIFETIME = ("missing-lifetime",
        "A reference or `dyn` type without a lifetime outside a method signature; chalk has no lifetime elision");
    MISPLACED_ATTRIBUTE = ("misplaced-attribute",
        "An attribute on an item it does not apply to (e.g. `#[auto]` on a struct)");
    UNKNOWN_ATTRIBUTE = ("unknown-attribute",
        "An attribute chalk does not know");
    ATTRIBUTE_ORDER = ("attribute-order",
        "Attributes out of chalk's fixed order, or repeated");
    UNKNOWN_LANG_ITEM = ("unknown-lang-item",
        "`#[lang(..)]` names no well-known trait chalk knows");
    UNKNOWN_VARIANCE = ("unknown-variance",
        "`#[variance(..)]` lists something other than `Invariant`, `Covariant` or `Contravariant`");
    UNKNOWN_REPR = ("unknown-repr",
        "`#[repr(..)]` names a representation chalk does not know");
    UNKNOWN_ABI = ("unknown-abi",
        "An `extern \"ABI\"` other than `\"C\"` (or none, for Rust)");
    VARIADIC_NOT_LAST = ("variadic-not-last",
        "`...` is not the last argument of a fn");
    UNKNOWN_SOLVER = ("unknown-solver",
        "An expectation names a solver other than SLG or recursive");
    UNKNOWN_OPTION = ("unknown-option",
        "An expectation has an option other than `solver`, `design` or `implication`, or an expected error names a solver");
    WRONG_ANSWER_COUNT = ("wrong-answer-count",
        "`yields` takes exactly one answer");
    HOLDS_MIXED_WITH_CODE = ("holds-mixed-with-code",
        "An impl method's body mixes `holds` lines with Rust code; it must be one or the other");
    // The command line's own codes, about the paths it is given rather
    // than a program's text. They live here, with the codes every crate
    // shares, because the binary has no library that the registry's tests
    // could read.
    NO_SUCH_PATH = ("no-such-path",
        "A path given on the command line does not exist");
    NO_PROGRAMS = ("no-programs",
        "A directory given on the command line holds no `.chalk` or `.rs` file that is not ignored, or `--filter` kept none");
    UNREADABLE_PROGRAM = ("unreadable-program",
        "A program file could not be read or written (permissions, not UTF-8, a directory where a file was expected)");
}
