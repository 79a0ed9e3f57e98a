//! Named types: what a path stands for (a type parameter, an alias, a struct or enum the
//! scanner reads, or a type from elsewhere), and the definitions of structs and enums.

use std::path::PathBuf;
use std::rc::Rc;

use proc_macro2::Span;
use serde_json::{Value, json};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::{Emitter, Owner, Problem, Severity, add_docs, foreign, path_text};
use crate::attr::Deserialization;
use crate::model::{ConfigStruct, Shape};
use crate::resolve::{Alias, Entry, Param, Resolution, Resolver, Scope};
use crate::ty::{BUILTIN_CRATES, Ty};

/// Where types are written: a module, its file, and the type parameters and `Self` in scope.
#[derive(Clone)]
pub(super) struct Frame {
    pub(super) scope: Scope,
    pub(super) file: PathBuf,
    pub(super) crate_dir: PathBuf,
    params: Rc<Vec<(String, Bound)>>,
    self_ty: Option<Rc<(Rc<Entry>, Vec<Bound>)>>,
}

/// A type argument: a type, the place it is written in, and the type whose field writes it.
#[derive(Clone)]
pub(super) struct Bound {
    pub(super) ty: syn::Type,
    pub(super) frame: Frame,
    owner: Option<Owner>,
}

/// What a path in a type stands for.
pub(super) enum Target {
    Param(Box<Bound>),
    Instance(Rc<Entry>, Vec<Bound>),
    Alias(Rc<Alias>, Vec<Bound>),
    Foreign(Vec<Vec<String>>, Vec<Bound>),
    Ambiguous(Vec<String>),
    Undecided(Vec<String>),
    NotFound,
}

/// How many times one struct or enum may nest in its own definition with other type
/// arguments (`S<Vec<T>>` inside `S<T>`) before the schema gives up there.
const MAX_NESTED_INSTANCES: usize = 8;

impl Frame {
    /// The frame of a config struct, where `Self` is the struct.
    pub(super) fn root(
        resolver: &Resolver<'_>,
        config: &ConfigStruct,
        site: &super::ConfigSite<'_>,
    ) -> Self {
        let scope = Scope {
            krate: 0,
            module: site.module.to_vec(),
        };
        let own = syn::Path::from(config.def.ident.clone());
        let self_ty = match resolver.resolve(&scope, &own) {
            Resolution::Type(entry) => Some(Rc::new((entry, Vec::new()))),
            _ => None,
        };
        Self {
            scope,
            file: site.file.to_owned(),
            crate_dir: site.crate_dir.to_owned(),
            params: Rc::default(),
            self_ty,
        }
    }

    /// The frame inside the definition of `entry`, with its parameters bound to `args`.
    pub(super) fn instance(entry: &Rc<Entry>, args: Vec<Bound>) -> Self {
        let home = Self {
            scope: entry.scope.clone(),
            file: entry.file.clone(),
            crate_dir: entry.crate_dir.clone(),
            params: Rc::default(),
            self_ty: None,
        };
        Self {
            params: Rc::new(bind(&entry.generics, &args, &home)),
            self_ty: Some(Rc::new((Rc::clone(entry), args))),
            ..home
        }
    }

    /// The frame of an alias's right-hand side, with its parameters bound to `args`.
    pub(super) fn alias(alias: &Alias, args: &[Bound]) -> Self {
        let home = Self {
            scope: alias.scope.clone(),
            file: alias.file.clone(),
            crate_dir: alias.crate_dir.clone(),
            params: Rc::default(),
            self_ty: None,
        };
        Self {
            params: Rc::new(bind(&alias.generics, args, &home)),
            ..home
        }
    }

    fn param(&self, path: &syn::Path) -> Option<&Bound> {
        let name = path.get_ident()?.unraw().to_string();
        self.params.iter().find(|(p, _)| *p == name).map(|(_, b)| b)
    }
}

/// Each parameter with its argument, or its default; `_` when neither is there, which rustc
/// refuses before the schema matters.
fn bind(params: &[Param], args: &[Bound], home: &Frame) -> Vec<(String, Bound)> {
    params
        .iter()
        .enumerate()
        .map(|(i, param)| {
            let bound = args.get(i).cloned().unwrap_or_else(|| Bound {
                ty: param
                    .default
                    .clone()
                    .unwrap_or_else(|| syn::parse_quote!(_)),
                frame: home.clone(),
                owner: None,
            });
            (param.name.clone(), bound)
        })
        .collect()
}

impl Emitter<'_, '_> {
    /// Whether a path names something other than the standard type its name suggests: a
    /// parameter, a type the scanner reads, or a type of a crate other than the standard ones.
    pub(super) fn is_named(&self, path: &syn::Path) -> bool {
        if self.frame.param(path).is_some() || path.is_ident("Self") {
            return true;
        }
        let builtin = |krate: &str| BUILTIN_CRATES.contains(&krate);
        match self.resolver.resolve(&self.frame.scope, path) {
            // `harmony_config::Secret` is read by name, also when the crate is a path dependency.
            Resolution::Type(entry) => !builtin(&self.resolver.crate_name(entry.scope.krate)),
            Resolution::Alias(alias) => !builtin(&self.resolver.crate_name(alias.scope.krate)),
            Resolution::Ambiguous(_) | Resolution::Undecided(_) => true,
            Resolution::Foreign(paths) => !paths
                .iter()
                .any(|p| p.first().is_some_and(|krate| builtin(krate))),
            Resolution::NotFound => false,
        }
    }

    /// What `path`, in the current frame, stands for.
    pub(super) fn target(&self, path: &syn::Path) -> Target {
        target_in(self.resolver, &self.frame, path, self.owner.as_ref())
    }

    /// The struct or enum a path ends at, through parameters and aliases.
    pub(super) fn instance_at(&self, path: &syn::Path) -> Option<(Rc<Entry>, Vec<Bound>)> {
        let mut frame = self.frame.clone();
        let mut path = path.clone();
        for _ in 0..16 {
            let next = match target_in(self.resolver, &frame, &path, None) {
                Target::Instance(entry, args) => return Some((entry, args)),
                Target::Param(bound) => {
                    frame = bound.frame.clone();
                    bound.ty
                }
                Target::Alias(alias, args) => {
                    frame = Frame::alias(&alias, &args);
                    alias.ty.clone()
                }
                _ => return None,
            };
            let syn::Type::Path(next) = next else {
                return None;
            };
            path = next.path;
        }
        None
    }

    /// A parameter's argument, read where it is written: problems point there.
    pub(super) fn expand_param(
        &mut self,
        bound: &Bound,
        read: impl FnOnce(&mut Self, &Ty, Span) -> Value,
    ) -> Value {
        let span = bound.ty.span();
        let owner = bound.owner.clone();
        self.in_frame(bound.frame.clone(), |this| {
            let outer = std::mem::replace(&mut this.owner, owner);
            let ty = this.classify(&bound.ty);
            let out = read(this, &ty, span);
            this.owner = outer;
            out
        })
    }

    /// An alias's right-hand side, read where it is written, once per chain: an alias defined
    /// through itself is an error, not an endless loop.
    pub(super) fn expand_alias(
        &mut self,
        alias: &Alias,
        args: &[Bound],
        read: impl FnOnce(&mut Self, &Ty, Span) -> Value,
    ) -> Value {
        let span = alias.ty.span();
        if self.expanding.contains(&alias.id) {
            let message = format!("the type alias `{}` is defined through itself", alias.ident);
            self.in_frame(Frame::alias(alias, args), |this| {
                this.problem(Severity::Error, span, message);
            });
            return json!({});
        }
        self.expanding.push(alias.id);
        let out = self.in_frame(Frame::alias(alias, args), |this| {
            let ty = this.classify(&alias.ty);
            read(this, &ty, span)
        });
        self.expanding.pop();
        out
    }

    /// A reference to a struct or enum, or the schema of a parameter, alias or foreign type.
    pub(super) fn named(&mut self, path: &syn::Path, span: Span) -> Value {
        match self.target(path) {
            Target::Param(bound) => self.expand_param(&bound, Self::ty),
            Target::Alias(alias, args) => self.expand_alias(&alias, &args, Self::ty),
            Target::Instance(entry, args) => self.instance(&entry, args),
            Target::Foreign(paths, args) => self.foreign(&paths, &args, span),
            Target::Ambiguous(candidates) => {
                self.ambiguous(path, &candidates, span);
                json!({})
            }
            Target::Undecided(candidates) => {
                self.undecided(path, &candidates, span);
                json!({})
            }
            Target::NotFound => {
                let message = format!(
                    "`{}` is not defined in this crate or its path dependencies, nor imported where it is used, so the schema accepts any value for it; {}",
                    path_text(path),
                    self.field_fix()
                );
                self.problem(Severity::Warning, span, message);
                json!({})
            }
        }
    }

    /// `$ref` to the definition of `entry` with `args`, emitting it the first time.
    pub(super) fn instance(&mut self, entry: &Rc<Entry>, args: Vec<Bound>) -> Value {
        let nested = self.defining.iter().filter(|&&id| id == entry.id).count();
        if nested >= MAX_NESTED_INSTANCES {
            let name = entry.def.ident.unraw().to_string();
            let message = format!(
                "`{name}` holds itself with other type arguments at every level, so the schema accepts any value below {MAX_NESTED_INSTANCES} levels; {}",
                self.entry_fix(entry)
            );
            self.warn_at(entry, message);
            return json!({});
        }
        let (key, short, long) = self.instance_names(entry, &args);
        let (reference, first) = self.defs.reference(&key, short, long);
        if first {
            self.entry_warnings(entry);
            let frame = Frame::instance(entry, args);
            self.defining.push(entry.id);
            let mut schema = self.in_frame(frame, |this| this.definition(entry));
            self.defining.pop();
            if entry.def.attrs.schema.is_none()
                && let Some(map) = schema.as_object_mut()
            {
                add_docs(map, &entry.def.attrs.docs);
            }
            self.defs.define(&key, schema);
        }
        reference
    }

    /// The identity of an instance in `$defs`, and its short and long names.
    pub(super) fn instance_names(&self, entry: &Entry, args: &[Bound]) -> (String, String, String) {
        let named: Vec<(String, String)> = args
            .iter()
            .map(|b| self.type_name(&b.ty, &b.frame, 0))
            .collect();
        let key = format!(
            "{}<{}>",
            entry.id,
            named
                .iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        let ident = entry.def.ident.unraw().to_string();
        let suffix = if named.is_empty() {
            String::new()
        } else {
            let labels: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
            format!("_for_{}", labels.join("_and_"))
        };
        let mut long: Vec<String> = Vec::new();
        if entry.scope.krate != 0 {
            long.push(self.resolver.crate_name(entry.scope.krate));
        }
        long.extend(entry.scope.module.iter().cloned());
        long.push(format!("{ident}{suffix}"));
        (key, format!("{ident}{suffix}"), long.join("::"))
    }

    /// A type's identity and its name in `$defs` names: `String`, `Vec_for_String`. `depth`
    /// ends an alias defined through itself, which is reported where it is used.
    fn type_name(&self, ty: &syn::Type, frame: &Frame, depth: u8) -> (String, String) {
        if depth > 32 {
            return ("…".to_owned(), "Type".to_owned());
        }
        let depth = depth + 1;
        match ty {
            syn::Type::Path(p) if p.qself.is_none() => {
                let args: Vec<Bound> = type_args(&p.path)
                    .into_iter()
                    .map(|ty| Bound {
                        ty: ty.clone(),
                        frame: frame.clone(),
                        owner: None,
                    })
                    .collect();
                let with_args = |key: String, name: String| {
                    let named: Vec<(String, String)> = args
                        .iter()
                        .map(|b| self.type_name(&b.ty, &b.frame, depth))
                        .collect();
                    if named.is_empty() {
                        return (key, name);
                    }
                    let keys: Vec<&str> = named.iter().map(|(k, _)| k.as_str()).collect();
                    let labels: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
                    (
                        format!("{key}<{}>", keys.join(",")),
                        format!("{name}_for_{}", labels.join("_and_")),
                    )
                };
                let last = p
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.unraw().to_string())
                    .unwrap_or_default();
                match target_in(self.resolver, frame, &p.path, None) {
                    Target::Param(bound) => self.type_name(&bound.ty, &bound.frame, depth),
                    Target::Instance(entry, args) => {
                        let (key, short, _) = self.instance_names(&entry, &args);
                        (key, short)
                    }
                    Target::Alias(alias, args) => {
                        self.type_name(&alias.ty, &Frame::alias(&alias, &args), depth)
                    }
                    Target::Foreign(paths, _) => with_args(
                        paths.first().map(|p| p.join("::")).unwrap_or_default(),
                        last,
                    ),
                    Target::Ambiguous(_) | Target::Undecided(_) | Target::NotFound => {
                        with_args(path_text(&p.path), last)
                    }
                }
            }
            syn::Type::Reference(r) => self.type_name(&r.elem, frame, depth),
            syn::Type::Paren(p) => self.type_name(&p.elem, frame, depth),
            syn::Type::Group(g) => self.type_name(&g.elem, frame, depth),
            syn::Type::Slice(s) => {
                let (key, name) = self.type_name(&s.elem, frame, depth);
                (format!("[{key}]"), format!("Array_of_{name}"))
            }
            syn::Type::Array(a) => {
                let (key, name) = self.type_name(&a.elem, frame, depth);
                let len = &a.len;
                (
                    format!("[{key};{}]", quote::quote!(#len)),
                    format!("Array_of_{name}"),
                )
            }
            syn::Type::Tuple(t) if t.elems.is_empty() => ("()".to_owned(), "Unit".to_owned()),
            syn::Type::Tuple(t) => {
                let named: Vec<(String, String)> = t
                    .elems
                    .iter()
                    .map(|ty| self.type_name(ty, frame, depth))
                    .collect();
                let keys: Vec<&str> = named.iter().map(|(k, _)| k.as_str()).collect();
                let labels: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
                (
                    format!("({})", keys.join(",")),
                    format!("Tuple_of_{}", labels.join("_and_")),
                )
            }
            other => (quote::quote!(#other).to_string(), "Type".to_owned()),
        }
    }

    /// The definition of a struct or enum, in its own frame.
    pub(super) fn definition(&mut self, entry: &Entry) -> Value {
        let def = &entry.def;
        if let Some(supplied) = &def.attrs.schema {
            return self.supplied(supplied, &entry.crate_dir.clone());
        }
        if entry.scope.krate != 0 {
            let path: Vec<String> = self
                .resolver
                .path_of(&entry.scope, &def.ident.unraw().to_string())
                .split("::")
                .map(str::to_owned)
                .collect();
            if let Some(schema) = self.mapped(&[path]) {
                return schema;
            }
        }
        match def.attrs.deserialize.as_ref().map(|d| d.kind) {
            None => {
                self.not_derived(entry);
                return json!({});
            }
            Some(Deserialization::FromStr) => return json!({ "type": "string" }),
            Some(Deserialization::Repr) => return self.repr(entry),
            Some(Deserialization::Derived) => {}
        }
        if let Some((kind, from, span)) = &def.attrs.from {
            if let Ok(ty) = syn::parse_str::<syn::Type>(from) {
                let ty = self.classify(&ty);
                return self.ty(&ty, *span);
            }
            self.problem(
                Severity::Warning,
                *span,
                format!("`{kind} = \"{from}\"` is not a type; the schema accepts any value"),
            );
            return json!({});
        }
        let deny = def.attrs.deny_unknown_fields;
        let owner = Owner::of(entry);
        self.with_owner(owner, |this| match &def.shape {
            Shape::Named(fields) | Shape::Tuple(fields) if def.attrs.transparent.is_some() => {
                this.transparent(fields)
            }
            Shape::Named(fields) => this.object(fields, deny, def.attrs.default.is_some(), None),
            Shape::Tuple(fields) => this.tuple(fields, def.attrs.default.is_some()),
            Shape::Unit => json!({ "type": "null" }),
            Shape::Enum(variants) => this.enumeration(def, variants),
        })
    }

    /// serde_repr's integer form: each unit variant's discriminant.
    fn repr(&mut self, entry: &Entry) -> Value {
        let def = &entry.def;
        let mut values = Vec::new();
        let mut next: i128 = 0;
        let variants = match &def.shape {
            Shape::Enum(variants) => variants.as_slice(),
            _ => &[],
        };
        for variant in variants {
            let discriminant = match &variant.discriminant {
                None => Some(next),
                Some(expr) => int_literal(expr),
            };
            let (Shape::Unit, Some(value)) = (&variant.shape, discriminant) else {
                let message = format!(
                    "`{}` derives `Deserialize_repr`, but the generator reads only unit variants with literal discriminants, so the schema accepts any value; {}",
                    def.ident,
                    self.entry_fix(entry)
                );
                self.problems.push(Problem::warning(
                    &entry.file,
                    entry.line,
                    entry.column,
                    message,
                ));
                return json!({});
            };
            values.push(json!(value));
            next = value + 1;
        }
        json!({ "type": "integer", "enum": values })
    }

    /// The schema of a type from a crate the scanner does not read: built in, or mapped in
    /// Cargo.toml, or else anything, with a warning.
    fn foreign(&mut self, paths: &[Vec<String>], args: &[Bound], span: Span) -> Value {
        // `DateTime<Utc>` names `Utc` without reading one: the arguments' problems count only
        // when the schema holds the arguments' schemas.
        let before = self.problems.len();
        let arg_schemas: Vec<Value> = args
            .iter()
            .map(|bound| self.expand_param(bound, Self::ty))
            .collect();
        let arg_problems = self.problems.split_off(before);
        if let Some(schema) = self.known_foreign(paths, &arg_schemas) {
            if arg_schemas
                .iter()
                .any(|arg| *arg != json!({}) && holds(&schema, arg))
            {
                self.problems.extend(arg_problems);
            }
            return schema;
        }
        let shown = paths.first().map(|p| p.join("::")).unwrap_or_default();
        let message = format!(
            "`{shown}` is from a crate the generator does not read, so the schema accepts any value for it; {}, or map the type once in Cargo.toml: `[package.metadata.harmony.schemas]` `\"{shown}\" = \"schemas/<file>.json\"`",
            self.field_fix()
        );
        self.problem(Severity::Warning, span, message);
        json!({})
    }

    /// The schema of a foreign type when it is built in or mapped in Cargo.toml.
    pub(super) fn known_foreign(&mut self, paths: &[Vec<String>], args: &[Value]) -> Option<Value> {
        let built_in = paths
            .iter()
            .find_map(|path| match (path.first(), path.last()) {
                (Some(krate), Some(name)) => {
                    let schema = foreign::foreign_type(krate, name, args)?;
                    Some(self.shared(schema, name, &path.join("::")))
                }
                _ => None,
            });
        built_in.or_else(|| self.mapped(paths))
    }

    /// A schema with its own `$id` (a recursive one, such as `toml::Value`'s) goes into
    /// `$defs` once, since one `$id` twice in a document is undefined; others stay in place.
    fn shared(&mut self, schema: Value, short: &str, long: &str) -> Value {
        let Some(id) = schema.get("$id").and_then(Value::as_str).map(str::to_owned) else {
            return schema;
        };
        let key = format!("$id {id}");
        let (reference, first) = self.defs.reference(&key, short.to_owned(), long.to_owned());
        if first {
            self.defs.define(&key, schema);
        }
        reference
    }

    /// A schema that `[package.metadata.harmony.schemas]` maps a foreign type to.
    fn mapped(&mut self, paths: &[Vec<String>]) -> Option<Value> {
        let manifest = self.resolver.manifest(0);
        let (written, file) = paths.iter().find_map(|path| {
            let short = match (path.first(), path.last()) {
                (Some(krate), Some(name)) => format!("{krate}::{name}"),
                _ => return None,
            };
            [path.join("::"), short]
                .into_iter()
                .find_map(|key| manifest.schemas.get(&key).map(|file| (key, file.clone())))
        })?;
        let dir = manifest.dir.clone();
        drop(manifest);
        match super::supplied::load(&crate::attr::SchemaSource::File(file.clone()), &dir) {
            Ok((schema, read)) => {
                self.files_read.extend(read);
                Some(schema)
            }
            Err(message) => {
                let message = format!(
                    "`[package.metadata.harmony.schemas]` maps `{written}` to `{file}`: {message}"
                );
                self.problems
                    .push(Problem::error(&dir.join("Cargo.toml"), 1, 1, message));
                Some(json!({}))
            }
        }
    }

    /// A type whose `Deserialize` the generator cannot read: a warning at the type.
    pub(super) fn not_derived(&mut self, entry: &Entry) {
        let name = entry.def.ident.unraw().to_string();
        let what = match self.resolver.deserialize_impl(entry) {
            Some(at) => format!(
                "has a hand-written `impl Deserialize` ({}:{}:{}), which the generator cannot read",
                at.file.display(),
                at.line,
                at.column
            ),
            None => "does not derive `Deserialize`, and the generator sees no `impl Deserialize` for it in its crate (a macro may write one)".to_owned(),
        };
        let message = format!(
            "`{name}` {what}, so the schema accepts any value for it; {}",
            self.entry_fix(entry)
        );
        self.warn_at(entry, message);
    }

    /// A warning at a type's name.
    fn warn_at(&mut self, entry: &Entry, message: String) {
        let warning = Problem::warning(&entry.file, entry.line, entry.column, message);
        self.problems.push(warning);
    }

    /// What reading a type's attributes warned about, reported where it is used.
    pub(super) fn entry_warnings(&mut self, entry: &Entry) {
        for (span, message) in &entry.warnings {
            let start = span.start();
            self.problems.push(Problem::warning(
                &entry.file,
                start.line,
                start.column + 1,
                message.clone(),
            ));
        }
    }

    /// A type defined more than once under cfgs the generator cannot decide.
    pub(super) fn undecided(&mut self, path: &syn::Path, candidates: &[String], span: Span) {
        let message = format!(
            "`{}` is defined more than once, under `#[cfg]`s that depend on the target: {}; the schema accepts any value for it; {}",
            path_text(path),
            candidates.join(" and "),
            self.field_fix()
        );
        self.problem(Severity::Warning, span, message);
    }

    /// The fix that describes a whole type: on the type, or, for a type of a dependency, which
    /// may not depend on `harmony_config`, in this crate's Cargo.toml.
    pub(super) fn entry_fix(&self, entry: &Entry) -> String {
        let name = entry.def.ident.unraw().to_string();
        if entry.scope.krate == 0 {
            return type_fix(&name);
        }
        let path = self.resolver.path_of(&entry.scope, &name);
        format!(
            "map it in this crate's Cargo.toml: `[package.metadata.harmony.schemas]` `\"{path}\" = \"schemas/<file>.json\"`"
        )
    }

    pub(super) fn ambiguous(&mut self, path: &syn::Path, candidates: &[String], span: Span) {
        let message = format!(
            "`{}` could mean {}: write a path that names one (`crate::module::Name`), so the schema does not guess",
            path_text(path),
            candidates.join(" or ")
        );
        self.problem(Severity::Error, span, message);
    }

    /// The fix for a value the schema cannot describe, where the current field is.
    pub(super) fn field_fix(&self) -> String {
        match &self.owner {
            Some(owner) if owner.in_dependency => format!(
                "`{}` is in a dependency, which may not depend on harmony_config: map the field's type in this crate's Cargo.toml, under `[package.metadata.harmony.schemas]`",
                owner.name
            ),
            Some(owner) if owner.in_config => {
                "give the field its schema with `#[config(schema = \"...\")]`".to_owned()
            }
            Some(owner) if owner.in_struct => format!(
                "give the field its schema with `#[schema(json = \"...\")]` (or `file = \"...\"`), and put `#[harmony_config::schema]` on `{}`",
                owner.name
            ),
            Some(owner) => type_fix(&owner.name),
            None => "give the type that holds it a schema with `#[harmony_config::schema(json = \"...\")]`".to_owned(),
        }
    }
}

/// The fix that describes a whole type.
fn type_fix(name: &str) -> String {
    format!(
        "describe what it accepts with `#[harmony_config::schema(json = \"...\")]` or `#[harmony_config::schema(file = \"...\")]` on `{name}`"
    )
}

/// What `path`, written in `frame` by a field of `owner`, stands for.
fn target_in(
    resolver: &Resolver<'_>,
    frame: &Frame,
    path: &syn::Path,
    owner: Option<&Owner>,
) -> Target {
    if let Some(bound) = frame.param(path) {
        return Target::Param(Box::new(bound.clone()));
    }
    if path.is_ident("Self") {
        return match &frame.self_ty {
            Some(own) => Target::Instance(Rc::clone(&own.0), own.1.clone()),
            None => Target::NotFound,
        };
    }
    let args = || -> Vec<Bound> {
        type_args(path)
            .into_iter()
            .map(|ty| Bound {
                ty: ty.clone(),
                frame: frame.clone(),
                owner: owner.cloned(),
            })
            .collect()
    };
    match resolver.resolve(&frame.scope, path) {
        Resolution::Type(entry) => Target::Instance(entry, args()),
        Resolution::Alias(alias) => Target::Alias(alias, args()),
        Resolution::Foreign(paths) => Target::Foreign(paths, args()),
        Resolution::Ambiguous(candidates) => Target::Ambiguous(candidates),
        Resolution::Undecided(candidates) => Target::Undecided(candidates),
        Resolution::NotFound => Target::NotFound,
    }
}

/// The type arguments of a path's last segment.
fn type_args(path: &syn::Path) -> Vec<&syn::Type> {
    path.segments
        .last()
        .map(|s| crate::ty::type_args(&s.arguments))
        .unwrap_or_default()
}

/// An integer literal, maybe negated: a discriminant serde_repr reads.
fn int_literal(expr: &syn::Expr) -> Option<i128> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => int_literal(expr).map(|v| -v),
        syn::Expr::Paren(p) => int_literal(&p.expr),
        syn::Expr::Group(g) => int_literal(&g.expr),
        _ => None,
    }
}

/// Whether `part` appears in `schema`, at any depth.
fn holds(schema: &Value, part: &Value) -> bool {
    schema == part
        || match schema {
            Value::Object(map) => map.values().any(|v| holds(v, part)),
            Value::Array(items) => items.iter().any(|v| holds(v, part)),
            _ => false,
        }
}
