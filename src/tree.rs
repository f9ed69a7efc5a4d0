//! The organisation tree on the client: built from the flat list, or filled a level at a time
//! as the office opens it (a province's 28,000 organisations are never sent at once); searched
//! as the user types (name, pinyin initials, code).

use std::collections::{HashMap, HashSet};

use xuncha_api::orgs::{OrgLevel, OrgNode, OrgSummary};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgIndex {
    orgs: Vec<OrgSummary>,
    by_id: HashMap<String, usize>,
    children: HashMap<usize, Vec<usize>>,
    roots: Vec<usize>,
    /// Loaded a level at a time: how many children the server counts under a node, and the
    /// nodes whose children are here. Built from the whole list, every node is complete.
    counts: HashMap<String, u32>,
    loaded: HashSet<String>,
    complete: bool,
}

/// Townships before departments, then by code, as offices list them.
fn order(o: &OrgSummary) -> (u8, &str) {
    let rank = match o.level {
        OrgLevel::City => 0,
        OrgLevel::County => 1,
        OrgLevel::Township | OrgLevel::Subdistrict => 2,
        OrgLevel::Village | OrgLevel::Community => 3,
        OrgLevel::Department => 4,
        OrgLevel::Enterprise => 5,
    };
    (rank, o.code.as_str())
}

impl OrgIndex {
    pub fn new(orgs: Vec<OrgSummary>) -> OrgIndex {
        OrgIndex {
            complete: true,
            ..OrgIndex::built(orgs)
        }
    }

    /// Adds what a load brought: one level under `parent` (its children are then all here),
    /// or with no parent the top level.
    pub fn add(&mut self, nodes: Vec<OrgNode>, parent: Option<&str>) {
        let whole = parent.is_none();
        let mut orgs = std::mem::take(&mut self.orgs);
        for n in nodes {
            // A leaf has nothing more to load.
            if whole && n.children == 0 {
                self.loaded.insert(n.org.id.clone());
            }
            self.counts.insert(n.org.id.clone(), n.children);
            match self.by_id.get(&n.org.id) {
                Some(&i) => orgs[i] = n.org,
                None => orgs.push(n.org),
            }
        }
        if let Some(p) = parent {
            self.loaded.insert(p.to_string());
        }
        let counts = std::mem::take(&mut self.counts);
        let loaded = std::mem::take(&mut self.loaded);
        *self = OrgIndex {
            counts,
            loaded,
            complete: false,
            ..OrgIndex::built(orgs)
        };
    }

    /// Marks every node of a subtree just loaded as complete.
    pub fn add_subtree(&mut self, nodes: Vec<OrgNode>) {
        let ids: Vec<String> = nodes.iter().map(|n| n.org.id.clone()).collect();
        self.add(nodes, None);
        self.loaded.extend(ids);
    }

    /// Whether the children of `id` are all here (else they are to be loaded first).
    pub fn is_loaded(&self, id: &str) -> bool {
        self.complete || self.loaded.contains(id)
    }

    fn built(orgs: Vec<OrgSummary>) -> OrgIndex {
        let by_id: HashMap<String, usize> = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i))
            .collect();
        let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut roots = Vec::new();
        for (i, o) in orgs.iter().enumerate() {
            // A parent the caller may not see makes this a root of what they see.
            match o.parent_id.as_ref().and_then(|p| by_id.get(p)) {
                Some(&p) => children.entry(p).or_default().push(i),
                None => roots.push(i),
            }
        }
        for list in children.values_mut() {
            list.sort_by(|&a, &b| order(&orgs[a]).cmp(&order(&orgs[b])));
        }
        roots.sort_by(|&a, &b| order(&orgs[a]).cmp(&order(&orgs[b])));
        OrgIndex {
            orgs,
            by_id,
            children,
            roots,
            ..OrgIndex::default()
        }
    }

    pub fn len(&self) -> usize {
        self.orgs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orgs.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&OrgSummary> {
        self.by_id.get(id).map(|&i| &self.orgs[i])
    }

    pub fn roots(&self) -> Vec<&OrgSummary> {
        self.roots.iter().map(|&i| &self.orgs[i]).collect()
    }

    pub fn children(&self, id: &str) -> Vec<&OrgSummary> {
        self.by_id
            .get(id)
            .and_then(|i| self.children.get(i))
            .map(|list| list.iter().map(|&i| &self.orgs[i]).collect())
            .unwrap_or_default()
    }

    pub fn has_children(&self, id: &str) -> bool {
        self.by_id
            .get(id)
            .is_some_and(|i| self.children.contains_key(i))
            || self.counts.get(id).is_some_and(|&n| n > 0)
    }

    /// Ancestors from the root down to the parent.
    pub fn ancestors(&self, id: &str) -> Vec<&OrgSummary> {
        let mut out = Vec::new();
        let mut cursor = self.get(id).and_then(|o| o.parent_id.as_deref());
        while let Some(pid) = cursor {
            match self.get(pid) {
                Some(p) => {
                    out.push(p);
                    cursor = p.parent_id.as_deref();
                }
                None => break,
            }
        }
        out.reverse();
        out
    }

    /// Organisations whose level may take `level` as a child, for moving.
    pub fn possible_parents(&self, level: OrgLevel) -> Vec<&OrgSummary> {
        let allowed = level.allowed_parents();
        let mut list: Vec<&OrgSummary> = self
            .orgs
            .iter()
            .filter(|o| o.active && allowed.contains(&o.level))
            .collect();
        list.sort_by(|a, b| order(a).cmp(&order(b)));
        list
    }

    /// The best matches first: exact name, name start, name part, initials, code.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&OrgSummary> {
        let q = query.trim();
        if q.is_empty() {
            return Vec::new();
        }
        let lower = q.to_lowercase();
        let mut hits: Vec<(u8, &OrgSummary)> = self
            .orgs
            .iter()
            .filter_map(|o| {
                let rank = if o.name == q {
                    0
                } else if o.name.starts_with(q) {
                    1
                } else if o.name.contains(q) {
                    2
                } else if o.initials.starts_with(&lower) {
                    3
                } else if lower.len() >= 2 && o.initials.contains(&lower) {
                    4
                } else if o.code.starts_with(q) {
                    5
                } else {
                    return None;
                };
                Some((rank, o))
            })
            .collect();
        hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| order(a.1).cmp(&order(b.1))));
        hits.into_iter().take(limit).map(|(_, o)| o).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    fn org(
        id: &str,
        parent: Option<&str>,
        name: &str,
        initials: &str,
        code: &str,
        level: OrgLevel,
    ) -> OrgSummary {
        OrgSummary {
            id: id.into(),
            parent_id: parent.map(Into::into),
            name: name.into(),
            code: code.into(),
            level,
            active: true,
            initials: initials.into(),
        }
    }

    fn sample() -> OrgIndex {
        OrgIndex::new(vec![
            org(
                "v2",
                Some("t1"),
                "柳河村",
                "lhc",
                "990101001202",
                OrgLevel::Village,
            ),
            org("c", None, "青岚县", "qlx", "990101000000", OrgLevel::County),
            org(
                "d",
                Some("c"),
                "县财政局",
                "xczj",
                "1199010100000001",
                OrgLevel::Department,
            ),
            org(
                "t1",
                Some("c"),
                "青石镇",
                "qsz",
                "990101001000",
                OrgLevel::Township,
            ),
            org(
                "v1",
                Some("t1"),
                "青石村",
                "qsc",
                "990101001201",
                OrgLevel::Village,
            ),
        ])
    }

    #[wasm_bindgen_test]
    fn builds_the_tree_townships_before_departments() {
        let idx = sample();
        assert_eq!(
            idx.roots()
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>(),
            vec!["c"]
        );
        let kids: Vec<&str> = idx.children("c").iter().map(|o| o.id.as_str()).collect();
        assert_eq!(kids, vec!["t1", "d"]);
        let villages: Vec<&str> = idx.children("t1").iter().map(|o| o.name.as_str()).collect();
        assert_eq!(villages, vec!["青石村", "柳河村"]);
        let path: Vec<&str> = idx
            .ancestors("v1")
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        assert_eq!(path, vec!["青岚县", "青石镇"]);
    }

    #[wasm_bindgen_test]
    fn searches_by_name_initials_and_code() {
        let idx = sample();
        let names = |q: &str| {
            idx.search(q, 10)
                .iter()
                .map(|o| o.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("青石村"), vec!["青石村"]);
        assert_eq!(names("青石"), vec!["青石镇", "青石村"]);
        assert_eq!(names("qsc"), vec!["青石村"]);
        assert_eq!(names("QS"), vec!["青石镇", "青石村"]);
        assert_eq!(names("990101001202"), vec!["柳河村"]);
        assert!(names("不存在").is_empty());
        assert!(names("  ").is_empty());
    }

    #[wasm_bindgen_test]
    fn a_unit_sees_its_own_org_as_the_root() {
        let idx = OrgIndex::new(vec![org(
            "v1",
            Some("t1"),
            "青石村",
            "qsc",
            "990101001201",
            OrgLevel::Village,
        )]);
        assert_eq!(idx.roots().len(), 1);
        assert!(idx.ancestors("v1").is_empty());
    }

    fn node(o: OrgSummary, children: u32) -> OrgNode {
        OrgNode { org: o, children }
    }

    #[wasm_bindgen_test]
    fn a_tree_loaded_a_level_at_a_time_knows_what_is_still_to_load() {
        let city = org(
            "city",
            None,
            "江州市",
            "jzs",
            "990100000000",
            OrgLevel::City,
        );
        let county = org(
            "c",
            Some("city"),
            "青岚县",
            "qlx",
            "990101000000",
            OrgLevel::County,
        );
        let mut idx = OrgIndex::default();
        idx.add(vec![node(city, 1)], None);
        assert!(idx.has_children("city") && !idx.is_loaded("city"));
        assert!(idx.children("city").is_empty());
        idx.add(vec![node(county.clone(), 2)], Some("city"));
        assert!(idx.is_loaded("city") && !idx.is_loaded("c"));
        assert_eq!(idx.children("city").len(), 1);
        // A county comes whole: every node in it is then complete, leaves included.
        let whole = sample()
            .orgs
            .into_iter()
            .map(|mut o| {
                if o.id == "c" {
                    o.parent_id = Some("city".into());
                }
                let kids = match o.id.as_str() {
                    "c" => 2,
                    "t1" => 2,
                    _ => 0,
                };
                node(o, kids)
            })
            .collect();
        idx.add_subtree(whole);
        assert!(["c", "t1", "v1", "v2", "d"]
            .iter()
            .all(|id| idx.is_loaded(id)));
        assert_eq!(idx.ancestors("v1").len(), 3, "city, county, township");
        assert_eq!(idx.len(), 6, "the county is not there twice");
        assert!(!OrgIndex::default().is_loaded("x") && sample().is_loaded("x"));
    }

    #[wasm_bindgen_test]
    fn possible_parents_follow_the_level_rules() {
        let idx = sample();
        let parents: Vec<&str> = idx
            .possible_parents(OrgLevel::Village)
            .iter()
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(parents, vec!["t1"]);
    }
}
