// The config types of the fidelity suite (`tests/fidelity.rs`).
//
// This file is read twice: `include!`d, so that serde derives each type's `Deserialize`, and
// parsed as text by harmony_codegen, which emits each config's JSON Schema. The suite then
// checks that both accept the same JSON instances. Plain `//` comments only: an `include!`d
// file cannot hold inner doc comments.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::marker::PhantomData;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use harmony_config::{Config, Secret};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Bools {
    pub flag: bool,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntU8 {
    pub v: u8,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntU16 {
    pub v: u16,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntU32 {
    pub v: u32,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntU64 {
    pub v: u64,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntUsize {
    pub v: usize,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntU128 {
    pub v: u128,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntI8 {
    pub v: i8,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntI16 {
    pub v: i16,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntI32 {
    pub v: i32,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntI64 {
    pub v: i64,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntIsize {
    pub v: isize,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IntI128 {
    pub v: i128,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Floats {
    pub single: f32,
    pub double: f64,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Chars {
    pub v: char,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Strings {
    pub owned: String,
    pub cow: Cow<'static, str>,
    pub path: PathBuf,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Units {
    pub unit: (),
    pub marker: Marker,
}

#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Marker;

// ---------------------------------------------------------------------------------------------
// Option, sequences, maps, tuples, arrays, pointers
// ---------------------------------------------------------------------------------------------

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Optionals {
    pub number: Option<u8>,
    pub text: Option<String>,
    pub nested: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped_if_none: Option<u8>,
}

// serde fills a missing field with `None` through a wrapper that hands it to `Option`.
// `Secret` reads a whole JSON value first, so a missing secret is an error.
#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct WrappedOptions {
    pub boxed: Box<Option<u8>>,
    pub shared: Arc<Option<bool>>,
    pub secret: Secret<Option<String>>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Seqs {
    pub vec: Vec<u8>,
    pub deque: VecDeque<String>,
    // `skip_serializing_if` does not make a field optional when reading.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Sets {
    pub hash: HashSet<u16>,
    pub btree: BTreeSet<String>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct StringMaps {
    pub hash: HashMap<String, u8>,
    pub btree: BTreeMap<Cow<'static, str>, Vec<bool>>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct SmallIntKeys {
    pub unsigned: HashMap<u8, bool>,
    pub signed: BTreeMap<i16, bool>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct WideIntKeys {
    pub unsigned: BTreeMap<u64, u8>,
    pub signed: BTreeMap<i64, u8>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct HugeIntKeys {
    pub unsigned: BTreeMap<u128, u8>,
    pub signed: BTreeMap<i128, u8>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct BoolKeys {
    pub m: HashMap<bool, u8>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct CharKeys {
    pub m: BTreeMap<char, u8>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct EnumKeys {
    pub colors: BTreeMap<Color, u8>,
    pub modes: HashMap<Mode, u8>,
}

/// A colour.
#[derive(Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Color {
    Red,
    DarkGreen,
    #[serde(alias = "navy")]
    Blue,
    #[serde(skip_deserializing)]
    Invisible,
}

// Only its unit variants can be map keys.
#[derive(Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
pub enum Mode {
    Fast,
    Slow,
    Custom(u8),
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct NewtypeKeys {
    pub ports: BTreeMap<PortKey, String>,
}

#[derive(Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
pub struct PortKey(u16);

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct AddrKeys {
    pub hosts: BTreeMap<IpAddr, String>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Tuples {
    pub pair: (u8, String),
    pub triple: (bool, Option<u8>, f64),
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct TupleStructs {
    pub skipping: SkipMiddle,
    pub skipping_one: SkipSecond,
    pub defaulted: DefaultLast,
}

// serde reads only the fields it does not skip, in order.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct SkipMiddle(u8, #[serde(skip)] u8, String);

// Two fields, one skipped: still read as an array, not as a newtype.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct SkipSecond(u8, #[serde(skip)] u8);

// A trailing field with a default may be left out of the array.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct DefaultLast(u8, #[serde(default)] u8);

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Arrays {
    pub three: [u8; 3],
    pub none: [bool; 0],
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Pointers {
    pub boxed: Box<u8>,
    pub shared: Arc<String>,
    pub boxed_struct: Box<Endpoint>,
}

/// A host and port.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Endpoint {
    /// The host name.
    pub host: String,
    pub port: u16,
}

// ---------------------------------------------------------------------------------------------
// Duration, addresses, URLs, secrets
// ---------------------------------------------------------------------------------------------

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Durations {
    pub timeout: Duration,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IpAny {
    pub v: IpAddr,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IpV4 {
    pub v: Ipv4Addr,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct IpV6 {
    pub v: Ipv6Addr,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct SocketAny {
    pub v: SocketAddr,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct SocketV4 {
    pub v: SocketAddrV4,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct SocketV6 {
    pub v: SocketAddrV6,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Urls {
    pub v: url::Url,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Secrets {
    pub token: Secret<String>,
    pub pin: harmony_config::Secret<u16>,
    #[config(secret)]
    pub password: String,
}

// Secrets below the top level: in a nested struct, an `Option` of one, a list of them, a map of
// secrets, enum variants, and a whole nested struct marked secret.
#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct NestedSecrets {
    pub db: DbCreds,
    pub backup: Option<DbCreds>,
    pub replicas: Vec<DbCreds>,
    pub tokens: HashMap<String, Secret<String>>,
    pub auth: AuthMode,
    #[config(secret)]
    pub tls: TlsFiles,
    pub plain: String,
}

#[derive(Serialize, Deserialize, JsonSchema)]
pub struct DbCreds {
    pub user: String,
    pub password: Secret<String>,
}

#[derive(Serialize, Deserialize, JsonSchema)]
pub enum AuthMode {
    Anonymous,
    Token(Secret<String>),
    Basic { user: String, password: Secret<String> },
}

#[derive(Serialize, Deserialize, JsonSchema)]
pub struct TlsFiles {
    pub cert: String,
    pub key: String,
}

// ---------------------------------------------------------------------------------------------
// Field names: rename, rename_all in every case, alias
// ---------------------------------------------------------------------------------------------

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Renamed {
    #[serde(rename = "kind")]
    pub r#type: String,
    #[serde(rename(serialize = "out_name", deserialize = "in_name"))]
    pub both: u8,
    pub r#match: bool,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub struct CaseLower {
    pub api_token: u8,
    pub http2_port: u8,
    pub mode: ModeLower,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ModeLower {
    HttpProxy,
    Direct,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub struct CaseUpper {
    pub api_token: u8,
    pub http2_port: u8,
    pub mode: ModeUpper,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum ModeUpper {
    HttpProxy,
    Direct,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct CasePascal {
    pub api_token: u8,
    pub http2_port: u8,
    pub mode: ModePascal,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub enum ModePascal {
    HttpProxy,
    Direct,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseCamel {
    pub api_token: u8,
    pub http2_port: u8,
    pub mode: ModeCamel,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ModeCamel {
    HttpProxy,
    Direct,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub struct CaseSnake {
    pub api_token: u8,
    pub http2_port: u8,
    pub mode: ModeSnake,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeSnake {
    HttpProxy,
    Direct,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct CaseScreamingSnake {
    pub api_token: u8,
    pub http2_port: u8,
    pub mode: ModeScreamingSnake,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ModeScreamingSnake {
    HttpProxy,
    Direct,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct CaseKebab {
    pub api_token: u8,
    pub http2_port: u8,
    pub mode: ModeKebab,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ModeKebab {
    HttpProxy,
    Direct,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub struct CaseScreamingKebab {
    pub api_token: u8,
    pub http2_port: u8,
    pub mode: ModeScreamingKebab,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum ModeScreamingKebab {
    HttpProxy,
    Direct,
}

// Different rules for each direction: only the deserialize rule matters when reading.
#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all(serialize = "SCREAMING_SNAKE_CASE", deserialize = "camelCase"))]
pub struct CaseSplit {
    pub api_token: u8,
    #[serde(rename = "Explicit")]
    pub explicit_name: u8,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Aliased {
    #[serde(alias = "colour", alias = "hue")]
    pub color: String,
    #[serde(default, alias = "n")]
    pub count: u8,
}

// ---------------------------------------------------------------------------------------------
// default, skip, deny_unknown_fields
// ---------------------------------------------------------------------------------------------

fn default_port() -> u16 {
    8080
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Defaults {
    #[serde(default)]
    pub retries: u8,
    #[serde(default = "default_port")]
    pub port: u16,
    pub name: String,
}

#[derive(Config, Serialize, Deserialize, JsonSchema, Default)]
#[serde(default)]
pub struct ContainerDefault {
    pub retries: u8,
    pub name: String,
}

fn default_container_path() -> ContainerDefaultPath {
    ContainerDefaultPath {
        retries: 3,
        name: "x".to_owned(),
    }
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(default = "default_container_path")]
pub struct ContainerDefaultPath {
    pub retries: u8,
    pub name: String,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Skips {
    pub name: String,
    #[serde(skip)]
    pub cache: u8,
    #[serde(skip_deserializing)]
    pub computed: String,
    #[serde(skip_serializing)]
    pub write_only: u8,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkipsStrict {
    pub name: String,
    #[serde(skip)]
    pub cache: u8,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Strict {
    pub a: u8,
    pub b: Option<String>,
    #[serde(alias = "see")]
    pub c: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// flatten
// ---------------------------------------------------------------------------------------------

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FlattenStruct {
    pub name: String,
    #[serde(flatten)]
    pub endpoint: Endpoint,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FlattenOption {
    pub id: u8,
    #[serde(flatten)]
    pub endpoint: Option<Endpoint>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FlattenMap {
    pub name: String,
    #[serde(alias = "ident")]
    pub id: Option<String>,
    #[serde(flatten)]
    pub rest: HashMap<String, u8>,
}

// A flattened struct takes its fields; the map after it gets what is left.
#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FlattenStructThenMap {
    pub name: String,
    #[serde(flatten)]
    pub strict: StrictEndpoint,
    #[serde(flatten)]
    pub rest: BTreeMap<String, bool>,
}

// `deny_unknown_fields` does not reach into a flattened struct: it only sees its own fields.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrictEndpoint {
    pub host: String,
    #[serde(alias = "p")]
    pub port: u16,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FlattenIntMap {
    pub name: String,
    #[serde(flatten)]
    pub rest: BTreeMap<u16, String>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FlattenNested {
    pub id: u8,
    #[serde(flatten)]
    pub middle: Middle,
}

#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Middle {
    pub level: u8,
    #[serde(flatten)]
    pub endpoint: Endpoint,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FlattenTagged {
    pub name: String,
    #[serde(flatten)]
    pub kind: Internal,
}

// The enum's `deny_unknown_fields` sees the keys the parent's fields left.
#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FlattenTaggedStrict {
    pub name: String,
    #[serde(flatten)]
    pub kind: InternalStrict,
}

// Two flattened maps both read every key that is left.
#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FlattenMaps {
    pub name: String,
    #[serde(flatten)]
    pub colors: BTreeMap<Color, u8>,
    #[serde(flatten)]
    pub numbers: HashMap<String, u16>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlattenDeny {
    pub name: String,
    #[serde(flatten)]
    pub endpoint: Endpoint,
}

// ---------------------------------------------------------------------------------------------
// transparent, from, nested and recursive types, types in modules
// ---------------------------------------------------------------------------------------------

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Transparents {
    pub port: Port,
    pub wrapped: WrappedPort,
    pub meters: Meters,
    pub label: Label,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Port {
    pub value: u16,
}

// Transparent around a transparent type.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct WrappedPort(Port);

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Meters(f64);

// The skipped field does not count.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Label {
    pub text: String,
    #[serde(skip)]
    pub marker: PhantomData<u8>,
}

// A missing field reaches `Option` through `transparent` and `from`, and reads as `None`.
#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct HiddenOptions {
    pub name: String,
    pub maybe: MaybePort,
    pub level: Level,
    pub never: Option<Nothing>,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct MaybePort(Option<u16>);

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(from = "Option<u8>")]
pub struct Level(u8);

impl From<Option<u8>> for Level {
    fn from(value: Option<u8>) -> Self {
        Self(value.unwrap_or(1))
    }
}

// No variant: only a missing or null `Option<Nothing>` deserializes.
#[derive(Serialize, Deserialize, JsonSchema)]
pub enum Nothing {}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Froms {
    pub percent: Percent,
}

// Read as a `u8`, then converted.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(from = "u8")]
pub struct Percent {
    pub value: u8,
}

impl From<u8> for Percent {
    fn from(value: u8) -> Self {
        Self { value }
    }
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Nested {
    pub primary: Endpoint,
    pub replicas: Vec<Endpoint>,
    pub by_name: BTreeMap<String, Endpoint>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Recursive {
    pub root: TreeNode,
}

#[derive(Serialize, Deserialize, JsonSchema)]
pub struct TreeNode {
    pub value: u8,
    #[serde(default)]
    pub children: Vec<TreeNode>,
    pub next: Option<Box<TreeNode>>,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Expressions {
    pub expr: Expr,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Expr {
    Lit(i32),
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
}

pub mod alpha {
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, JsonSchema)]
    pub struct Item {
        pub a: u8,
    }

    // A bare `Item` here is `alpha::Item`.
    #[derive(Serialize, Deserialize, JsonSchema)]
    pub struct Holder {
        pub item: Item,
        pub other: super::beta::Item,
    }
}

pub mod beta {
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, JsonSchema)]
    pub struct Item {
        pub b: String,
    }
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct ModulePaths {
    pub first: alpha::Item,
    pub second: self::beta::Item,
    pub holder: self::alpha::Holder,
}

// ---------------------------------------------------------------------------------------------
// Enums: external, internal, adjacent, untagged, variant-level untagged, `other`
// ---------------------------------------------------------------------------------------------

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Externals {
    pub e: External,
}

#[derive(Serialize, Deserialize, JsonSchema)]
pub enum External {
    Unit,
    Newtype(u8),
    Tuple(u8, String),
    Struct {
        a: u8,
        #[serde(default)]
        b: bool,
    },
    #[serde(rename = "renamed", alias = "alt")]
    Renamed,
    #[serde(skip_deserializing)]
    Skipped,
    Strict(StrictEndpoint),
    Partial(u8, #[serde(default)] u8, #[serde(skip)] u8),
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Internals {
    pub e: Internal,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type")]
pub enum Internal {
    Unit,
    Newtype(Endpoint),
    StrictNewtype(StrictEndpoint),
    Struct {
        a: u8,
    },
    Map(BTreeMap<String, u8>),
    #[serde(rename = "other-name", alias = "alias-name")]
    Renamed {
        x: Option<u8>,
    },
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct InternalsStrict {
    pub e: InternalStrict,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", deny_unknown_fields)]
pub enum InternalStrict {
    Unit,
    Struct { x: u8 },
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Adjacents {
    pub e: Adjacent,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(tag = "t", content = "c")]
pub enum Adjacent {
    Unit,
    Newtype(u8),
    Optional(Option<u8>),
    Tuple(u8, u8),
    Struct { a: u8 },
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct AdjacentsStrict {
    pub e: AdjacentStrict,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(tag = "t", content = "c", deny_unknown_fields)]
pub enum AdjacentStrict {
    Unit,
    Newtype(u8),
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Untaggeds {
    pub e: Untagged,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Untagged {
    Number(u8),
    Text(String),
    Pair(u8, u8),
    Object { a: u8 },
    Nothing,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct PartlyUntaggeds {
    pub e: PartlyUntagged,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartlyUntagged {
    Fixed,
    Sized(u8),
    #[serde(untagged)]
    Custom(String),
    #[serde(untagged)]
    Pair(bool, bool),
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Others {
    pub internal: InternalOther,
    pub adjacent: AdjacentOther,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type")]
pub enum InternalOther {
    Known {
        x: u8,
    },
    #[serde(other)]
    Unknown,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(tag = "t", content = "c")]
pub enum AdjacentOther {
    Known(u8),
    #[serde(other)]
    Unknown,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct StrictEnums {
    pub external: ExternalStrict,
    pub untagged: UntaggedStrict,
}

// An enum's `deny_unknown_fields` applies to the fields of its struct variants.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub enum ExternalStrict {
    Unit,
    Struct { a: u8 },
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum UntaggedStrict {
    First { a: u8 },
    Second { b: u8 },
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct ExternalOthers {
    pub e: ExternalOther,
}

// `other` outside internal and adjacent tagging: any unit-like tag.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExternalOther {
    Known(u8),
    #[serde(other)]
    Fallback,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FieldRenames {
    pub shape: Shape,
}

// `rename_all_fields` renames the fields of every struct variant; a variant's own
// `rename_all` wins.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase", rename_all_fields = "camelCase")]
pub enum Shape {
    Circle {
        radius_len: f64,
    },
    #[serde(rename_all = "kebab-case")]
    Rect {
        side_a: f64,
        side_b: f64,
    },
}

// ---------------------------------------------------------------------------------------------
// Code-decided fields: deserialize_with, with, and the schema escape hatch
// ---------------------------------------------------------------------------------------------

fn upper_only<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(text)
    } else {
        Err(serde::de::Error::custom("expected upper-case letters"))
    }
}

fn anything_len<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(value.to_string().len())
}

fn maybe_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u8>, D::Error> {
    Option::<u8>::deserialize(deserializer)
}

mod hex_byte {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &u8, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{value:02x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.len() != 2 {
            return Err(serde::de::Error::custom("expected two hex digits"));
        }
        u8::from_str_radix(&text, 16).map_err(serde::de::Error::custom)
    }
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Custom {
    // The escape hatch states what the code accepts.
    #[serde(deserialize_with = "upper_only")]
    #[config(schema = r#"{"type": "string", "pattern": "^[A-Z]+$"}"#)]
    pub code: String,
    #[serde(with = "hex_byte")]
    #[schemars(with = "String")]
    #[config(schema = r#"{"type": "string", "pattern": "^[0-9A-Fa-f]{2}$"}"#)]
    pub byte: u8,
    // No escape hatch: the schema allows any value, and so does this code.
    #[serde(deserialize_with = "anything_len")]
    pub length: usize,
    // With `deserialize_with`, an `Option` is no longer optional.
    #[serde(deserialize_with = "maybe_number")]
    #[config(schema = r#"{"type": ["integer", "null"], "minimum": 0, "maximum": 255}"#)]
    pub maybe: Option<u8>,
}

// `serialize_with` does not change how a field is read.
fn shout<S: Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_uppercase())
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct SerializeOnly {
    #[serde(serialize_with = "shout")]
    pub word: String,
}

// ---------------------------------------------------------------------------------------------
// What real code does: hand-written impls, imports, other crates, generics, escape hatches
// ---------------------------------------------------------------------------------------------

// A hand-written, case-insensitive `Deserialize`, as applications write for column names. The
// generator cannot read it; the type-level escape hatch says what it accepts.
#[harmony_config::schema(
    json = r#"{"type": "string", "pattern": "^([cC][pP][uU]%?|[mM][eE][mM]|[pP][iI][dD])$"}"#
)]
#[derive(Serialize, JsonSchema)]
pub enum Column {
    Cpu,
    Mem,
    Pid,
}

impl<'de> Deserialize<'de> for Column {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.to_lowercase().as_str() {
            "cpu" | "cpu%" => Ok(Self::Cpu),
            "mem" => Ok(Self::Mem),
            "pid" => Ok(Self::Pid),
            _ => Err(serde::de::Error::custom("unknown column")),
        }
    }
}

// A hand-written `Deserialize` without a schema: the schema accepts anything, with a warning.
// This one does too, so the two agree.
#[derive(Serialize, JsonSchema)]
pub struct Opaque(usize);

impl<'de> Deserialize<'de> for Opaque {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Self(value.to_string().len()))
    }
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct HandWritten {
    pub columns: Vec<Column>,
    #[serde(default)]
    pub sort: Option<Column>,
    pub opaque: Opaque,
}

// Types from a second crate of the workspace, one re-exported under a new name.
#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct FromAnotherCrate {
    pub bounds: harmony_fidelity_shared::Bounds,
    pub levels: Vec<harmony_fidelity_shared::Level>,
}

// An import under another name, and the same type through its module.
mod speeds {
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum Speed {
        Slow,
        VeryFast,
    }
}

use self::speeds::Speed as Pace;

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct RenamedImports {
    pub pace: Pace,
    pub other: Option<speeds::Speed>,
}

// Generic structs used with concrete types, and a type alias.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Range<T> {
    pub low: T,
    pub high: T,
}

pub type PortNumber = u16;

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct Generics {
    pub ports: Range<PortNumber>,
    pub names: Range<String>,
    pub steps: Vec<Range<i8>>,
}

// The escape hatch on the field of a nested struct.
#[harmony_config::schema]
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Tagged {
    #[serde(deserialize_with = "upper_only")]
    #[schema(json = r#"{"type": "string", "pattern": "^[A-Z]+$"}"#)]
    pub code: String,
    pub count: u8,
}

#[derive(Config, Serialize, Deserialize, JsonSchema)]
pub struct NestedEscapes {
    pub tags: Vec<Tagged>,
}
