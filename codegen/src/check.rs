//! Rules a config must follow beyond what the compiler checks.

use harmony_naming::{accessor_name, accessor_problem, env_var_name};

use crate::scan::{ConfigItem, Visibility};

/// Where a config key is defined, for the checks across keys.
pub struct KeySite<'a> {
    /// The key.
    pub key: &'a str,
    /// The file, line and column of the struct's name, as `file:line:col`.
    pub location: String,
}

/// Keys that collide: the same key twice, two keys with one environment variable, or two
/// keys whose accessors would share a name. Each message names both places.
#[must_use]
pub fn key_collisions(sites: &[KeySite<'_>]) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        let earlier = &sites[..i];
        let clash = |what: &str, of: &dyn Fn(&str) -> Vec<String>| {
            let mine = of(site.key);
            earlier
                .iter()
                .find(|other| of(other.key).iter().any(|n| mine.contains(n)))
                .map(|other| {
                    format!(
                        "config key `{}` {what} `{}` at {}",
                        site.key, other.key, other.location
                    )
                })
        };
        let message = clash("is already defined as", &|k| vec![k.to_owned()])
            .or_else(|| {
                clash("reads the same environment variable as", &|k| {
                    vec![env_var_name(k)]
                })
            })
            .or_else(|| {
                clash("gives an accessor the same name as one of", &|k| {
                    let name = accessor_name(k);
                    vec![format!("set_{name}"), name]
                })
            });
        if let Some(message) = message {
            problems.push((i, message));
        }
        if let Some(problem) = accessor_problem(site.key) {
            let name = accessor_name(site.key);
            problems.push((i, format!("config key `{}` gives the accessor name `{name}`, which {problem}; choose another key with `#[config(key = \"...\")]`", site.key)));
        }
    }
    problems
}

/// A module or type on a config's path whose visibility stops short of the crate root, so the
/// generated `crate::config` module cannot name the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooPrivate {
    /// The module or type, from the crate root: `["net", "inner"]`.
    pub path: Vec<String>,
    /// The module its visibility stops at, from the crate root: `["net"]`. Never empty.
    pub scope: Vec<String>,
    /// Whether it is private (no visibility, or `pub(self)`), not merely restricted.
    pub private: bool,
}

/// The module whose descendants can see an item declared in `module` with `vis`, from the
/// crate root; empty for the root itself.
///
/// `pub` reaches beyond the crate, but from inside it that is the same as `pub(crate)`.
/// `None` when a restricted path does not lead to an ancestor of `module` (too many `super`s, a
/// leading `::`, a path to elsewhere): rustc rejects those with a better message.
#[must_use]
pub fn visibility_scope(vis: &Visibility, module: &[String]) -> Option<Vec<String>> {
    let path = match vis {
        Visibility::Public => return Some(Vec::new()),
        Visibility::Private => return Some(module.to_vec()),
        Visibility::Restricted(path) => path,
    };
    let mut segments = path.iter().map(String::as_str);
    let (mut scope, mut relative) = match segments.next()? {
        "crate" => (Vec::new(), false),
        "self" => (module.to_vec(), true),
        "super" => {
            let mut scope = module.to_vec();
            scope.pop()?;
            (scope, true)
        }
        _ => return None,
    };
    for segment in segments {
        match segment {
            // `super` may follow only `self` or `super`.
            "super" if relative => {
                scope.pop()?;
            }
            "" | "crate" | "self" | "super" => return None,
            name => {
                relative = false;
                scope.push(name.to_owned());
            }
        }
    }
    module.starts_with(&scope).then_some(scope)
}

/// Every module on `module_path`, then the type `name` itself, that `crate::config` (a child
/// of the crate root) cannot see, outermost first.
///
/// A module `x` declared in module `P` is visible from the root when its visibility, read
/// in `P`, reaches the root: `pub`, `pub(crate)` and `pub(in crate)` always, `pub(super)` when
/// `P`'s parent is the root, and private or `pub(self)` only when `P` is the root. The type
/// follows the same rule in its own module. `path_vis` holds one visibility per segment of
/// `module_path`; when the lengths differ, nothing can be said and nothing is returned.
#[must_use]
pub fn too_private(
    module_path: &[String],
    path_vis: &[Visibility],
    name: &str,
    vis: &Visibility,
) -> Vec<TooPrivate> {
    if module_path.len() != path_vis.len() {
        return Vec::new();
    }
    let steps = module_path
        .iter()
        .map(String::as_str)
        .zip(path_vis)
        .chain(std::iter::once((name, vis)));
    let mut out = Vec::new();
    let mut declared_in: Vec<String> = Vec::new();
    for (segment, vis) in steps {
        let mut path = declared_in.clone();
        path.push(segment.to_owned());
        if let Some(scope) = visibility_scope(vis, &declared_in)
            && !scope.is_empty()
        {
            out.push(TooPrivate {
                path: path.clone(),
                scope,
                private: vis.is_private(),
            });
        }
        declared_in = path;
    }
    out
}

/// Why `crate::config` cannot name the type at `type_path` (its modules, then its name), and
/// how to fix it; `None` when `found` is empty.
///
/// "`net::inner` is private to `net`, so `crate::config` cannot name `net::inner::Db`: make it
/// `pub(crate)`"
#[must_use]
pub fn too_private_message(type_path: &[String], found: &[TooPrivate]) -> Option<String> {
    let reasons: Vec<String> = found
        .iter()
        .map(|t| {
            let what = if t.private {
                "is private to"
            } else {
                "is visible only in"
            };
            format!("`{}` {what} `{}`", t.path.join("::"), t.scope.join("::"))
        })
        .collect();
    let (last, rest) = reasons.split_last()?;
    let reasons = if rest.is_empty() {
        last.clone()
    } else {
        format!("{} and {last}", rest.join(", "))
    };
    let (target, fix) = match found {
        [only] if only.path == type_path => ("it".to_owned(), "make it"),
        [_] => (format!("`{}`", type_path.join("::")), "make it"),
        _ => (format!("`{}`", type_path.join("::")), "make each"),
    };
    Some(format!(
        "{reasons}, so `crate::config` cannot name {target}: {fix} `pub(crate)`"
    ))
}

/// The error for a config item that the generated `crate::config` module cannot name, if any.
#[must_use]
pub fn unnameable(item: &ConfigItem<'_>) -> Option<String> {
    let found = too_private(&item.module_path, &item.path_vis, &item.name, &item.vis);
    let mut type_path = item.module_path.clone();
    type_path.push(item.name.clone());
    too_private_message(&type_path, &found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Visibility::{Private, Public};

    fn sites<'a>(keys: &[&'a str]) -> Vec<KeySite<'a>> {
        keys.iter()
            .enumerate()
            .map(|(i, key)| KeySite {
                key,
                location: format!("src/lib.rs:{}:8", i + 1),
            })
            .collect()
    }

    #[test]
    fn collisions_name_both_places() {
        let problems = key_collisions(&sites(&["Db", "app.Db", "Db"]));
        assert_eq!(
            problems,
            vec![(
                2,
                "config key `Db` is already defined as `Db` at src/lib.rs:1:8".to_owned()
            )]
        );

        let problems = key_collisions(&sites(&["a.b", "a-b"]));
        assert_eq!(
            problems,
            vec![(
                1,
                "config key `a-b` reads the same environment variable as `a.b` at src/lib.rs:1:8"
                    .to_owned()
            )]
        );

        let problems = key_collisions(&sites(&["foo", "set.foo"]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].1.contains("accessor the same name"),
            "{problems:?}"
        );
    }

    #[test]
    fn keyword_accessor_names_are_refused() {
        let problems = key_collisions(&sites(&["Type", "Ok"]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].1.contains("`type`"), "{problems:?}");
    }

    fn path(segments: &[&str]) -> Vec<String> {
        segments.iter().map(|s| (*s).to_owned()).collect()
    }

    fn restricted(segments: &[&str]) -> Visibility {
        Visibility::Restricted(path(segments))
    }

    #[test]
    fn each_visibility_form_has_its_scope() {
        let root = path(&[]);
        let net = path(&["net"]);
        let inner = path(&["net", "inner"]);
        let scope = |vis: &Visibility, module: &[String]| visibility_scope(vis, module);
        let some = |segments: &[&str]| Some(path(segments));

        // `pub`, `pub(crate)` and `pub(in crate)` reach the root from any depth.
        for module in [&root, &net, &inner] {
            assert_eq!(scope(&Public, module), some(&[]));
            assert_eq!(scope(&restricted(&["crate"]), module), some(&[]));
        }
        // Private and `pub(self)`: the declaring module.
        for vis in [Private, restricted(&["self"])] {
            assert_eq!(scope(&vis, &root), some(&[]));
            assert_eq!(scope(&vis, &net), some(&["net"]));
            assert_eq!(scope(&vis, &inner), some(&["net", "inner"]));
        }
        // `pub(super)` and `pub(in super::super)`: the parent, the grandparent.
        assert_eq!(scope(&restricted(&["super"]), &net), some(&[]));
        assert_eq!(scope(&restricted(&["super"]), &inner), some(&["net"]));
        assert_eq!(scope(&restricted(&["super", "super"]), &inner), some(&[]));
        assert_eq!(scope(&restricted(&["self", "super"]), &net), some(&[]));
        // `pub(in path)` to an ancestor.
        assert_eq!(
            scope(&restricted(&["crate", "net"]), &inner),
            some(&["net"])
        );
        assert_eq!(
            scope(&restricted(&["crate", "net", "inner"]), &inner),
            some(&["net", "inner"])
        );
        assert_eq!(
            scope(&restricted(&["self"]), &inner),
            some(&["net", "inner"])
        );
    }

    #[test]
    fn paths_rustc_rejects_have_no_scope() {
        let net = path(&["net"]);
        for bad in [restricted(&["super"]), restricted(&["super", "super"])] {
            assert_eq!(visibility_scope(&bad, &[]), None, "{bad:?} at the root");
        }
        for bad in [
            restricted(&["super", "super"]),
            restricted(&["crate", "other"]),
            restricted(&["crate", "super"]),
            restricted(&["crate", "net", "self"]),
            restricted(&["", "net"]),
            restricted(&["net"]),
            restricted(&[]),
        ] {
            assert_eq!(visibility_scope(&bad, &net), None, "{bad:?} in net");
        }
    }

    #[test]
    fn the_type_and_every_module_on_its_path_must_reach_the_root() {
        let at = |modules: &[&str], vis: &[Visibility], item: Visibility| {
            too_private(&path(modules), vis, "Db", &item)
                .into_iter()
                .map(|t| (t.path.join("::"), t.scope.join("::"), t.private))
                .collect::<Vec<_>>()
        };
        let s = |v: &str| v.to_owned();

        // At the root, even a private type in a private module is fine.
        assert_eq!(at(&[], &[], Private), []);
        assert_eq!(at(&["net"], &[Private], Public), []);
        assert_eq!(at(&["net"], &[Private], restricted(&["super"])), []);
        assert_eq!(at(&["net"], &[Private], restricted(&["crate"])), []);
        // A private type below the root.
        assert_eq!(
            at(&["net"], &[Public], Private),
            [(s("net::Db"), s("net"), true)]
        );
        assert_eq!(
            at(&["net"], &[Public], restricted(&["self"])),
            [(s("net::Db"), s("net"), true)]
        );
        // Depth two: `pub(super)` on the module is enough, on the type it is not.
        let pub_super = restricted(&["super"]);
        assert_eq!(
            at(&["net", "inner"], &[Private, pub_super.clone()], Public),
            []
        );
        assert_eq!(
            at(&["net", "inner"], &[Private, Private], Public),
            [(s("net::inner"), s("net"), true)]
        );
        assert_eq!(
            at(&["net", "inner"], &[Public, Public], pub_super.clone()),
            [(s("net::inner::Db"), s("net"), false)]
        );
        assert_eq!(
            at(
                &["net", "inner"],
                &[Public, Public],
                restricted(&["super", "super"])
            ),
            []
        );
        // Depth three, with `pub(in path)`: every offender, outermost first.
        assert_eq!(
            at(
                &["a", "b", "c"],
                &[Public, restricted(&["crate", "a"]), restricted(&["crate"])],
                restricted(&["crate", "a", "b"]),
            ),
            [
                (s("a::b"), s("a"), false),
                (s("a::b::c::Db"), s("a::b"), false)
            ]
        );
        // Mismatched lengths say nothing rather than guess.
        assert_eq!(at(&["net"], &[], Private), []);
    }

    #[test]
    fn messages_name_the_offender_and_the_fix() {
        let message = |modules: &[&str], vis: &[Visibility], item: Visibility| {
            let found = too_private(&path(modules), vis, "Db", &item);
            let mut type_path = path(modules);
            type_path.push("Db".to_owned());
            too_private_message(&type_path, &found)
        };
        assert_eq!(message(&["net"], &[Private], Public), None);
        assert_eq!(
            message(&["net", "inner"], &[Public, Private], Public).as_deref(),
            Some(
                "`net::inner` is private to `net`, so `crate::config` cannot name \
                 `net::inner::Db`: make it `pub(crate)`"
            )
        );
        assert_eq!(
            message(&["net"], &[Public], Private).as_deref(),
            Some(
                "`net::Db` is private to `net`, so `crate::config` cannot name it: make it `pub(crate)`"
            )
        );
        assert_eq!(
            message(&["a", "b"], &[Public, Private], restricted(&["super"])).as_deref(),
            Some(
                "`a::b` is private to `a` and `a::b::Db` is visible only in `a`, so \
                 `crate::config` cannot name `a::b::Db`: make each `pub(crate)`"
            )
        );
    }
}
