//! What a Rust type looks like to serde_json: types are recognised by their full name and
//! arity, never by a suffix, and a name the crate defines itself always means that type.

use syn::{GenericArgument, PathArguments, Type};

/// A Rust type, classified by how serde reads it from JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// `bool`.
    Bool,
    /// An integer of `bits` bits; `usize`/`isize` count as 64.
    Int {
        /// Whether negative values exist.
        signed: bool,
        /// 8, 16, 32, 64 or 128.
        bits: u8,
    },
    /// `f32` or `f64`.
    Float,
    /// `char`: a string of one character.
    Char,
    /// `String`, `str`, `Cow<str>`, `PathBuf`, `OsString`, ...: a string.
    String,
    /// `()`: `null`.
    Unit,
    /// `Option<T>`: `null` or `T`.
    Option(Box<Ty>),
    /// `Vec<T>`, `VecDeque<T>`, sets, `[T]`: an array of `T`.
    Seq(Box<Ty>),
    /// `HashMap<K, V>` and `BTreeMap<K, V>`: an object whose keys read as `K`.
    Map(Box<Ty>, Box<Ty>),
    /// A tuple: an array of exactly these elements.
    Tuple(Vec<Ty>),
    /// `[T; N]`: an array of exactly `N` elements.
    Array(Box<Ty>, usize),
    /// `std::time::Duration`: `{"secs": u64, "nanos": u32}`.
    Duration,
    /// An IP address, v4, v6 or either, written as a string.
    Ip(IpKind),
    /// A socket address, v4, v6 or either, written as a string.
    Socket(IpKind),
    /// `url::Url`: an absolute URL, written as a string.
    Url,
    /// `harmony_config::Secret<T>`: `T`, marked secret.
    Secret(Box<Ty>),
    /// Any other path: a type defined in this crate, or one from elsewhere.
    Named(syn::Path),
    /// A type that cannot come from JSON at all, with the reason.
    Unsupported(&'static str),
}

/// Which IP versions an address type accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpKind {
    /// `Ipv4Addr`, `SocketAddrV4`.
    V4,
    /// `Ipv6Addr`, `SocketAddrV6`.
    V6,
    /// `IpAddr`, `SocketAddr`.
    Any,
}

/// The crates whose types are recognised by name here: the standard library, and the few
/// others whose types serde reads like standard ones. A path into any other crate stays
/// [`Ty::Named`].
pub const BUILTIN_CRATES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "indexmap",
    "hashbrown",
    "url",
    "harmony_config",
];

impl Ty {
    /// Classifies `ty`. `is_local` says whether a path names something other than the
    /// standard type of that name (a type the crate defines, a parameter, a type of another
    /// crate), which then stays [`Ty::Named`].
    #[must_use]
    pub fn classify(ty: &Type, is_local: &dyn Fn(&syn::Path) -> bool) -> Self {
        match ty {
            Type::Group(group) => Self::classify(&group.elem, is_local),
            Type::Paren(paren) => Self::classify(&paren.elem, is_local),
            Type::Reference(reference) => Self::classify(&reference.elem, is_local),
            Type::Tuple(tuple) if tuple.elems.is_empty() => Self::Unit,
            Type::Tuple(tuple) => Self::Tuple(
                tuple
                    .elems
                    .iter()
                    .map(|t| Self::classify(t, is_local))
                    .collect(),
            ),
            Type::Slice(slice) => Self::Seq(Box::new(Self::classify(&slice.elem, is_local))),
            Type::Array(array) => match array_len(&array.len) {
                Some(len) => Self::Array(Box::new(Self::classify(&array.elem, is_local)), len),
                None => Self::Unsupported("the array length is not a literal"),
            },
            Type::Path(path) if path.qself.is_none() => {
                if is_local(&path.path) {
                    Self::Named(path.path.clone())
                } else {
                    classify_path(&path.path, is_local)
                }
            }
            Type::Never(_) => Self::Unsupported("`!` has no values"),
            _ => Self::Unsupported("serde cannot read this kind of type from JSON"),
        }
    }
}

fn classify_path(path: &syn::Path, is_local: &dyn Fn(&syn::Path) -> bool) -> Ty {
    let Some(last) = path.segments.last() else {
        return Ty::Unsupported("empty path");
    };
    let args = type_args(&last.arguments);
    let arg = |i: usize| {
        args.get(i)
            .map_or(Ty::Unsupported("a type argument is missing"), |t| {
                Ty::classify(t, is_local)
            })
    };
    let boxed = |i: usize| Box::new(arg(i));
    match (last.ident.to_string().as_str(), args.len()) {
        ("bool", 0) => Ty::Bool,
        ("u8", 0) => Ty::Int {
            signed: false,
            bits: 8,
        },
        ("u16", 0) => Ty::Int {
            signed: false,
            bits: 16,
        },
        ("u32", 0) => Ty::Int {
            signed: false,
            bits: 32,
        },
        ("u64" | "usize", 0) => Ty::Int {
            signed: false,
            bits: 64,
        },
        ("u128", 0) => Ty::Int {
            signed: false,
            bits: 128,
        },
        ("i8", 0) => Ty::Int {
            signed: true,
            bits: 8,
        },
        ("i16", 0) => Ty::Int {
            signed: true,
            bits: 16,
        },
        ("i32", 0) => Ty::Int {
            signed: true,
            bits: 32,
        },
        ("i64" | "isize", 0) => Ty::Int {
            signed: true,
            bits: 64,
        },
        ("i128", 0) => Ty::Int {
            signed: true,
            bits: 128,
        },
        ("f32" | "f64", 0) => Ty::Float,
        ("char", 0) => Ty::Char,
        ("String" | "str" | "PathBuf" | "Path" | "OsString" | "OsStr", 0) => Ty::String,
        // `Cow<'a, str>` has one type argument once lifetimes are dropped.
        (
            "Cow" | "Box" | "Rc" | "Arc" | "Cell" | "RefCell" | "Mutex" | "RwLock" | "Reverse"
            | "Wrapping",
            1,
        ) => arg(0),
        ("Option", 1) => Ty::Option(boxed(0)),
        // serde reads a `PhantomData` as it reads `()`.
        ("PhantomData", 1) => Ty::Unit,
        (
            "Vec" | "VecDeque" | "LinkedList" | "BinaryHeap" | "HashSet" | "BTreeSet" | "IndexSet",
            1,
        ) => Ty::Seq(boxed(0)),
        ("HashMap" | "BTreeMap" | "IndexMap", 2) => Ty::Map(boxed(0), boxed(1)),
        ("Duration", 0) => Ty::Duration,
        ("IpAddr", 0) => Ty::Ip(IpKind::Any),
        ("Ipv4Addr", 0) => Ty::Ip(IpKind::V4),
        ("Ipv6Addr", 0) => Ty::Ip(IpKind::V6),
        ("SocketAddr", 0) => Ty::Socket(IpKind::Any),
        ("SocketAddrV4", 0) => Ty::Socket(IpKind::V4),
        ("SocketAddrV6", 0) => Ty::Socket(IpKind::V6),
        ("Url", 0) => Ty::Url,
        ("Secret", 1) => Ty::Secret(boxed(0)),
        _ => Ty::Named(path.clone()),
    }
}

/// The type arguments of a path segment, without lifetimes and const arguments.
#[must_use]
pub fn type_args(arguments: &PathArguments) -> Vec<&Type> {
    match arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn array_len(expr: &syn::Expr) -> Option<usize> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        _ => None,
    }
}
