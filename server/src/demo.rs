//! Demo and benchmark data: a county that looks real (invented names) for `cargo xtask run`,
//! and the same generator scaled to a province for benchmarks.

use serde_json::json;
use xuncha_api::orgs::{BasicData, CreateOrg, OrgLevel};
use xuncha_api::users::{CreateUser, Role};

use crate::db::{self, Db, Tx};
use crate::orgs::store;
use crate::{audit, auth, users};

pub const PASSWORD: &str = "Xuncha@2026";

/// The demo accounts, one per role (and a second inspector).
pub const ACCOUNTS: [(&str, &str); 5] = [
    ("admin", "admin 巡察办"),
    ("zhangwei", "inspector 巡察组组长"),
    ("lina", "inspector 巡察组组员"),
    ("liuyang", "discipline 纪检监察机关"),
    ("qingshi", "unit 青石村联络员"),
];

/// How much to generate. `cities == 0` makes a single county the root.
#[derive(Debug, Clone)]
pub struct Size {
    pub cities: usize,
    pub counties_per_city: usize,
    pub townships: usize,
    pub villages_per_township: usize,
    pub departments: usize,
}

impl Size {
    /// DOMAIN.md: one county, ~15 townships, ~250 villages and communities.
    pub fn county() -> Size {
        Size {
            cities: 0,
            counties_per_city: 1,
            townships: 15,
            villages_per_township: 17,
            departments: 12,
        }
    }

    /// ~100 counties and ~25,000 villages, for benchmarks.
    pub fn province() -> Size {
        Size {
            cities: 10,
            counties_per_city: 10,
            townships: 15,
            villages_per_township: 17,
            departments: 12,
        }
    }
}

/// A small deterministic generator, so the demo is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const CITY_NAMES: [&str; 10] = [
    "江州", "云岭", "临川", "安澜", "青阳", "汉源", "栖霞", "龙泉", "北溪", "南屏",
];
const COUNTY_NAMES: [&str; 12] = [
    "青岚", "白沙", "石门", "桐溪", "清河", "马岭", "凤翔", "东湖", "金坪", "玉泉", "长宁", "西峰",
];
const PLACE: [&str; 60] = [
    "青石", "柳河", "王家", "李庄", "桃源", "杨柳", "石桥", "枫林", "高坪", "下湾", "上洋", "黄泥",
    "沙坝", "龙潭", "马家", "陈家", "新华", "红旗", "东风", "和平", "团结", "长岭", "白果", "竹园",
    "梨树", "杏花", "双河", "三合", "五里", "七星", "九龙", "大湾", "小溪", "田坝", "水井", "松林",
    "柏树", "荷花", "茶园", "桑园", "麻柳", "岩口", "坪上", "河西", "河东", "北山", "南岗", "金鸡",
    "银杏", "凤凰", "卧龙", "观音", "花桥", "古井", "石板", "新村", "兴隆", "永安", "太平", "富民",
];
const TOWNSHIP_SUFFIX: [&str; 3] = ["镇", "镇", "乡"];
const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];
const GIVEN: [&str; 24] = [
    "建国", "志强", "秀英", "桂兰", "海燕", "国平", "德明", "春花", "文华", "永红", "小军", "丽娟",
    "明辉", "晓东", "玉梅", "新民", "红梅", "立新", "家伟", "翠兰", "保平", "长江", "金凤", "少华",
];
const DEPARTMENTS: [&str; 12] = [
    "县财政局",
    "县农业农村局",
    "县民政局",
    "县教育局",
    "县卫生健康局",
    "县住房和城乡建设局",
    "县自然资源局",
    "县人力资源和社会保障局",
    "县水利局",
    "县乡村振兴局",
    "县供销合作社",
    "县城市投资发展集团有限公司",
];

fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

fn village_data(rng: &mut Rng) -> BasicData {
    let households = rng.range(150, 900);
    let population = households * rng.range(26, 36) / 10;
    BasicData {
        households: Some(households),
        population: Some(population),
        party_members: Some(population * rng.range(3, 7) / 100),
        collective_income: Some(rng.range(50, 3000) as f64 / 10.0),
        collective_assets: Some(rng.range(300, 30000) as f64 / 10.0),
    }
}

struct Writer<'a, 'b> {
    tx: &'a mut Tx<'b>,
    count: usize,
}

impl Writer<'_, '_> {
    async fn org(
        &mut self,
        parent: Option<&str>,
        name: String,
        code: String,
        level: OrgLevel,
        secretary: String,
        basic: BasicData,
    ) -> anyhow::Result<String> {
        let id = db::new_id();
        let req = CreateOrg {
            parent_id: parent.map(str::to_string),
            name,
            code,
            level,
            secretary,
            basic,
        };
        store::insert(self.tx, &id, &req)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        self.count += 1;
        Ok(id)
    }
}

/// Writes the tree in one transaction; returns the id of the first village (青石村).
async fn generate(tx: &mut Tx<'_>, size: &Size) -> anyhow::Result<(usize, String)> {
    let mut rng = Rng(0x5eed_2026_1130);
    let mut w = Writer { tx, count: 0 };
    let mut first_village = None;
    let city_count = size.cities.max(1);
    for ci in 0..city_count {
        let city_code = format!("99{:02}00", ci + 1);
        let city_id = if size.cities > 0 {
            let name = format!("{}市", CITY_NAMES[ci % CITY_NAMES.len()]);
            Some(
                w.org(
                    None,
                    name,
                    format!("{city_code}000000"),
                    OrgLevel::City,
                    person(&mut rng),
                    BasicData::default(),
                )
                .await?,
            )
        } else {
            None
        };
        for ki in 0..size.counties_per_city {
            let county_code = format!("99{:02}{:02}", ci + 1, ki + 1);
            let base = COUNTY_NAMES[(ci * size.counties_per_city + ki) % COUNTY_NAMES.len()];
            let round = (ci * size.counties_per_city + ki) / COUNTY_NAMES.len();
            let name = if round == 0 {
                format!("{base}县")
            } else {
                format!(
                    "{base}{}县",
                    ["", "东", "西", "南", "北", "新", "上", "下", "中"][round % 9]
                )
            };
            let county = w
                .org(
                    city_id.as_deref(),
                    name,
                    format!("{county_code}000000"),
                    OrgLevel::County,
                    person(&mut rng),
                    BasicData::default(),
                )
                .await?;
            for d in 0..size.departments {
                let level = if d + 1 == size.departments {
                    OrgLevel::Enterprise
                } else {
                    OrgLevel::Department
                };
                let code = format!("1199{:02}{:02}{:08}", ci + 1, ki + 1, d + 1);
                w.org(
                    Some(&county),
                    DEPARTMENTS[d % DEPARTMENTS.len()].to_string(),
                    code,
                    level,
                    person(&mut rng),
                    BasicData::default(),
                )
                .await?;
            }
            for ti in 0..size.townships {
                // The last township of each county is a sub-district with communities.
                let urban = ti + 1 == size.townships;
                let place = PLACE[(ti * 7 + ki * 3 + ci) % PLACE.len()];
                let (tname, tlevel) = if urban {
                    (format!("{place}街道"), OrgLevel::Subdistrict)
                } else {
                    (
                        format!("{place}{}", TOWNSHIP_SUFFIX[ti % 3]),
                        OrgLevel::Township,
                    )
                };
                let tcode = format!("{county_code}{:03}000", ti + 1);
                let township = w
                    .org(
                        Some(&county),
                        tname,
                        tcode,
                        tlevel,
                        person(&mut rng),
                        BasicData::default(),
                    )
                    .await?;
                let offset = rng.below(PLACE.len());
                for vi in 0..size.villages_per_township {
                    let vplace = PLACE[(offset + vi * 11) % PLACE.len()];
                    let (vname, vlevel) = if first_village.is_none() {
                        ("青石村".to_string(), OrgLevel::Village)
                    } else if urban {
                        (format!("{vplace}社区"), OrgLevel::Community)
                    } else {
                        (format!("{vplace}村"), OrgLevel::Village)
                    };
                    let vcode = format!("{county_code}{:03}{:03}", ti + 1, 200 + vi + 1);
                    let basic = village_data(&mut rng);
                    let vid = w
                        .org(
                            Some(&township),
                            vname,
                            vcode,
                            vlevel,
                            person(&mut rng),
                            basic,
                        )
                        .await?;
                    first_village.get_or_insert(vid);
                }
            }
        }
    }
    Ok((w.count, first_village.unwrap_or_default()))
}

/// Creates the demo tree and accounts if the database has no organisation yet.
pub async fn seed_if_empty(db: &Db, size: &Size) -> anyhow::Result<bool> {
    let orgs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orgs")
        .fetch_one(&db.pool)
        .await?;
    if orgs > 0 {
        return Ok(false);
    }
    let started = std::time::Instant::now();
    let mut tx = db.begin().await?;
    let (count, first_village) = generate(&mut tx, size).await?;
    let people = [
        ("admin", "王建国", Role::Admin, None),
        ("zhangwei", "张伟", Role::Inspector, None),
        ("lina", "李娜", Role::Inspector, None),
        ("liuyang", "刘洋", Role::Discipline, None),
        ("qingshi", "陈秀英", Role::Unit, Some(first_village)),
    ];
    for (username, name, role, org_id) in people {
        let req = CreateUser {
            username: username.into(),
            display_name: name.into(),
            role,
            org_id,
            password: PASSWORD.into(),
        };
        let hash = auth::hash_password(PASSWORD.into())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        users::insert(&mut tx, None, &req, &hash)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    audit::record(
        &mut tx,
        None,
        "demo.seed",
        "system",
        None,
        json!({ "orgs": count }),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    tracing::info!(
        orgs = count,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo data created"
    );
    Ok(true)
}
