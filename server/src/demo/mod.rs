//! Demo and benchmark data: a county that looks real (invented names) for `cargo xtask run`,
//! and the same generator scaled to a province for benchmarks.

mod cases;
mod evaluations;
mod petitions;

use chrono::{Datelike, Months, NaiveDate};
use serde_json::json;
use xuncha_api::orgs::{BasicData, CreateOrg, OrgLevel};
use xuncha_api::rounds::{Phase, RoundKind};
use xuncha_api::users::{CreateUser, Role};

use crate::db::{self, Db, Tx};
use crate::orgs::store;
use crate::{audit, users};

pub const PASSWORD: &str = "Xuncha@2026";

/// The demo accounts, one per role (and a second inspector).
pub const ACCOUNTS: [(&str, &str); 5] = [
    ("admin", "admin 巡察办"),
    ("zhangwei", "inspector 第一巡察组组长"),
    ("lina", "inspector 第二巡察组组长"),
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
    /// Terms, rounds, teams and targets for every county committee.
    pub rounds: bool,
    /// Earlier, finished terms before the current one (benchmarks use several).
    pub past_terms: usize,
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
            rounds: true,
            past_terms: 0,
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
            rounds: true,
            past_terms: 4,
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

/// One county as generated, for assigning rounds.
struct County {
    id: String,
    departments: Vec<String>,
    /// Each township with its villages and communities.
    townships: Vec<(String, Vec<String>)>,
}

/// Writes the tree in one transaction; returns the counties and the id of the first village
/// (青石村).
async fn generate(tx: &mut Tx<'_>, size: &Size) -> anyhow::Result<(usize, Vec<County>, String)> {
    let mut rng = Rng(0x5eed_2026_1130);
    let mut w = Writer { tx, count: 0 };
    let mut first_village = None;
    let mut counties = Vec::new();
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
            let mut info = County {
                id: county.clone(),
                departments: Vec::new(),
                townships: Vec::new(),
            };
            for d in 0..size.departments {
                let level = if d + 1 == size.departments {
                    OrgLevel::Enterprise
                } else {
                    OrgLevel::Department
                };
                let code = format!("1199{:02}{:02}{:08}", ci + 1, ki + 1, d + 1);
                let dep = w
                    .org(
                        Some(&county),
                        DEPARTMENTS[d % DEPARTMENTS.len()].to_string(),
                        code,
                        level,
                        person(&mut rng),
                        BasicData::default(),
                    )
                    .await?;
                info.departments.push(dep);
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
                let mut villages = Vec::new();
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
                    first_village.get_or_insert(vid.clone());
                    villages.push(vid);
                }
                info.townships.push((township, villages));
            }
            counties.push(info);
        }
    }
    Ok((w.count, counties, first_village.unwrap_or_default()))
}

/// The rounds of one term, as offices run them.
const ROUND_PLAN: [(&str, RoundKind, &str, Phase); 7] = [
    ("第一轮巡察", RoundKind::Regular, "", Phase::Closed),
    (
        "第二轮巡察",
        RoundKind::Special,
        "农村集体“三资”管理",
        Phase::Closed,
    ),
    ("第三轮巡察", RoundKind::Regular, "", Phase::Closed),
    ("第四轮巡察", RoundKind::Mobile, "", Phase::Rectification),
    ("第五轮巡察", RoundKind::Regular, "", Phase::Feedback),
    ("第六轮巡察", RoundKind::Regular, "", Phase::Stationing),
    ("第七轮巡察", RoundKind::Regular, "", Phase::Preparation),
];

/// Terms, rounds, teams and targets for each county: past terms fully covered, the current
/// term (2022–2026) with its last round not yet assigned and two townships not yet reached.
/// A typical finding at a village: its focus point, the ways teams word it (no two teams write
/// the same problem the same way) and the measures a team would set.
pub struct Problem {
    pub focus: &'static str,
    pub wordings: [&'static str; 4],
    pub measures: &'static str,
}

/// Typical findings, each in four wordings: the demo's findings, and the labelled set the
/// grouping of common problems (共性问题) is measured on.
pub const PROBLEMS: [Problem; 10] = [
    Problem {
        focus: "responsibility",
        wordings: [
            "村集体资金白条入账",
            "部分村级支出以白条列支入账",
            "财务报销使用白条，票据不合规",
            "集体资金支出凭白条入账，缺少正规发票",
        ],
        measures: "补齐合规票据，追回违规支出，建立财务审核制度",
    },
    Problem {
        focus: "policies",
        wordings: [
            "低保对象未经民主评议",
            "低保评定未召开村民代表会议民主评议",
            "新增低保户没有经过民主评议程序",
            "低保对象认定不经评议、不公示",
        ],
        measures: "重新开展民主评议并张榜公示，清退不符合条件对象",
    },
    Problem {
        focus: "rectification",
        wordings: [
            "上轮巡察反馈问题整改不到位",
            "上一轮巡察发现的问题至今未整改到位",
            "对上轮巡察反馈问题整改敷衍，问题反弹",
            "前次巡察反馈问题整改不彻底",
        ],
        measures: "逐条对账销号，明确责任人和完成时限",
    },
    Problem {
        focus: "organisation",
        wordings: [
            "“三会一课”记录不完整",
            "三会一课制度落实不严，会议记录缺失",
            "支部“三会一课”开展不经常，记录补记",
            "党员大会和党课记录不全，三会一课流于形式",
        ],
        measures: "规范组织生活，补齐会议记录，纳入支部考核",
    },
    Problem {
        focus: "responsibility",
        wordings: [
            "村务公开不及时",
            "村务公开栏长期未更新",
            "村务财务公开不及时、内容不全",
            "村级事务公开滞后，群众看不到收支情况",
        ],
        measures: "按季度更新公开栏，财务收支逐笔公开",
    },
    Problem {
        focus: "policies",
        wordings: [
            "耕地地力保护补贴发放不准确",
            "耕地地力补贴面积核定不准，多发少发",
            "地力保护补贴发放面积与实际种植不符",
            "惠农补贴中耕地补贴发放对象、面积不准确",
        ],
        measures: "核对面积台账，多退少补，公示发放结果",
    },
    Problem {
        focus: "responsibility",
        wordings: [
            "集体资产出租未经公开招标",
            "村集体鱼塘、厂房私下发包，未公开招租",
            "集体资产租赁未经公开程序，租金偏低",
            "集体土地出租未走公开竞价程序",
        ],
        measures: "收回违规合同，重新公开招租",
    },
    Problem {
        focus: "organisation",
        wordings: [
            "发展党员程序不规范",
            "发展党员材料缺失，程序倒置",
            "入党积极分子培养考察程序不规范",
            "发展党员未按规定公示和政审",
        ],
        measures: "按程序补正材料，加强发展党员全程纪实",
    },
    Problem {
        focus: "policies",
        wordings: [
            "防返贫监测户帮扶措施未落实",
            "防止返贫监测对象帮扶措施不到位",
            "监测户未落实针对性帮扶措施",
            "返贫风险户帮扶计划停留在纸面",
        ],
        measures: "逐户制定帮扶计划，落实责任人",
    },
    Problem {
        focus: "rectification",
        wordings: [
            "工程项目未按规定验收即付款",
            "村级工程未经验收就支付工程款",
            "基础设施项目未验收先付款",
            "项目工程款在竣工验收前全额拨付",
        ],
        measures: "补办验收手续，追究相关人员责任",
    },
];

/// Findings and their rectification tasks for one inspected organisation, at the stage its
/// round has reached: a past round's tasks are closed, the current rounds' are open with
/// deadlines around today, so the reminders and overdue marks have something to show.
async fn findings_and_tasks(
    tx: &mut Tx<'_>,
    rng: &mut Rng,
    target_id: &str,
    org_id: &str,
    phase: Phase,
    round_end: NaiveDate,
    by: &str,
) -> anyhow::Result<usize> {
    if !matches!(
        phase,
        Phase::Feedback | Phase::Rectification | Phase::Closed
    ) {
        return Ok(0);
    }
    let today = chrono::Utc::now().date_naive();
    let at = |d: NaiveDate| format!("{}T09:00:00.000000Z", d.format("%Y-%m-%d"));
    let mut tasks = 0;
    for _ in 0..rng.below(3) {
        // One draw picks the problem (as before the wordings, so the demo keeps its villages'
        // tasks) and, from the rest of it, the wording.
        let k = rng.below(PROBLEMS.len() * 4);
        let problem = &PROBLEMS[k % PROBLEMS.len()];
        let (focus, measures) = (problem.focus, problem.measures);
        let title = problem.wordings[k / PROBLEMS.len()];
        let finding_id = db::new_id();
        let found = round_end - chrono::Duration::days(20);
        sqlx::query(
            "INSERT INTO findings (id, target_id, org_id, focus, title, description, severity, source, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, '', $6, 'documents', $7, $8)",
        )
        .bind(&finding_id)
        .bind(target_id)
        .bind(org_id)
        .bind(focus)
        .bind(title)
        .bind(["general", "general", "serious"][rng.below(3)])
        .bind(by)
        .bind(at(found))
        .execute(&mut **tx)
        .await?;
        for _ in 0..1 + rng.below(2) {
            let (status, deadline) = match phase {
                Phase::Closed => ("closed", round_end + Months::new(3)),
                Phase::Rectification => (
                    [
                        "pending",
                        "in_progress",
                        "in_progress",
                        "submitted",
                        "accepted",
                    ][rng.below(5)],
                    today + chrono::Duration::days(rng.range(-30, 60)),
                ),
                _ => ("pending", today + chrono::Duration::days(rng.range(30, 90))),
            };
            let task_id = db::new_id();
            sqlx::query(
                "INSERT INTO rectification_tasks (id, finding_id, target_id, org_id, responsible_person, measures, deadline, status, \
                   created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .bind(&task_id)
            .bind(&finding_id)
            .bind(target_id)
            .bind(org_id)
            .bind(person(rng))
            .bind(measures)
            .bind(deadline.format("%Y-%m-%d").to_string())
            .bind(status)
            .bind(by)
            .bind(at(round_end))
            .execute(&mut **tx)
            .await?;
            // The moves that brought it here; a closed task keeps only its closing, which the
            // ledger and the public page read.
            let chain: &[(&str, &str)] = match status {
                "in_progress" => &[("pending", "in_progress")],
                "submitted" => &[("pending", "in_progress"), ("in_progress", "submitted")],
                "accepted" => &[
                    ("pending", "in_progress"),
                    ("in_progress", "submitted"),
                    ("submitted", "accepted"),
                ],
                "closed" => &[("accepted", "closed")],
                _ => &[],
            };
            for (i, (from, to)) in chain.iter().enumerate() {
                let day = if status == "closed" {
                    deadline - chrono::Duration::days(5)
                } else {
                    today - chrono::Duration::days(10 - i as i64)
                };
                sqlx::query(
                    "INSERT INTO task_events (id, task_id, from_status, to_status, by_user, at, reason) VALUES ($1, $2, $3, $4, $5, $6, '')",
                )
                .bind(db::new_id())
                .bind(&task_id)
                .bind(*from)
                .bind(*to)
                .bind(by)
                .bind(at(day))
                .execute(&mut **tx)
                .await?;
            }
            tasks += 1;
        }
    }
    Ok(tasks)
}

async fn generate_rounds(
    tx: &mut Tx<'_>,
    size: &Size,
    counties: &[County],
    inspectors: &[String],
    first_village: &str,
) -> anyhow::Result<(usize, usize)> {
    let mut rng = Rng(0x7a5c_2026_1130);
    let (mut targets, mut tasks) = (0, 0);
    let now = db::ts(db::now());
    let rounds = ROUND_PLAN.len();
    for county in counties {
        for t in 0..=size.past_terms {
            let current = t == size.past_terms;
            let start_year = 2022 - 5 * (size.past_terms - t) as i32;
            let term_id = db::new_id();
            sqlx::query(
                "INSERT INTO terms (id, committee_org_id, name, start_date, end_date, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&term_id)
            .bind(&county.id)
            .bind(format!("{start_year}—{}年届", start_year + 4))
            .bind(format!("{start_year}-01-01"))
            .bind(format!("{}-12-31", start_year + 4))
            .bind(&now)
            .execute(&mut **tx)
            .await?;
            let townships_covered = if current {
                county.townships.len().saturating_sub(2)
            } else {
                county.townships.len()
            };
            for (r, (name, kind, theme, phase)) in ROUND_PLAN.iter().enumerate() {
                // Rounds spread evenly over the five years, in order.
                let start = NaiveDate::from_ymd_opt(start_year, 1, 1).unwrap_or_default()
                    + Months::new((r * 60 / rounds) as u32 + 2);
                let day = |months: u32, day: u32| {
                    (start + Months::new(months))
                        .with_day(day)
                        .unwrap_or(start)
                        .format("%Y-%m-%d")
                        .to_string()
                };
                let year = start.year();
                let round_id = db::new_id();
                let phase = if current { *phase } else { Phase::Closed };
                sqlx::query(
                    "INSERT INTO rounds (id, term_id, name, kind, theme, start_date, end_date, phase, \
                       created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                )
                .bind(&round_id)
                .bind(&term_id)
                .bind(format!("{year}年{name}"))
                .bind(kind.as_str())
                .bind(*theme)
                .bind(day(0, 1))
                .bind(day(2, 28))
                .bind(phase.as_str())
                .bind(&now)
                .execute(&mut **tx)
                .await?;
                if current && r + 1 == rounds {
                    continue;
                }
                let mut teams = Vec::new();
                for k in 0..3 {
                    let team_id = db::new_id();
                    sqlx::query(
                        "INSERT INTO teams (id, round_id, name, contact, created_at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&team_id)
                    .bind(&round_id)
                    .bind(["第一巡察组", "第二巡察组", "第三巡察组"][k])
                    .bind(format!("0571-88{:06}", 1000 + k * 7 + r))
                    .bind(&now)
                    .execute(&mut **tx)
                    .await?;
                    let leader = &inspectors[k % inspectors.len()];
                    let member = &inspectors[(k + 3) % inspectors.len()];
                    for (user, is_leader) in [(leader, 1i64), (member, 0)] {
                        sqlx::query("INSERT INTO team_members (team_id, user_id, leader) VALUES ($1, $2, $3)")
                            .bind(&team_id)
                            .bind(user)
                            .bind(is_leader)
                            .execute(&mut **tx)
                            .await?;
                    }
                    teams.push(team_id);
                }
                // Townships go to rounds in turn; a township with its villages to one team.
                let mut orgs: Vec<&String> = Vec::new();
                for (i, (township, villages)) in
                    county.townships.iter().enumerate().take(townships_covered)
                {
                    if i % (rounds - 1) == r {
                        orgs.push(township);
                        orgs.extend(villages.iter());
                    }
                }
                orgs.extend(county.departments.iter().skip(r).step_by(rounds - 1));
                // The demo liaison's village has work to do in the round now in rectification.
                let first_village = first_village.to_string();
                let ours = county
                    .townships
                    .iter()
                    .any(|(_, villages)| villages.contains(&first_village));
                if ours
                    && current
                    && phase == Phase::Rectification
                    && !orgs.contains(&&first_village)
                {
                    orgs.push(&first_village);
                }
                let round_end = start + Months::new(2);
                for (i, org) in orgs.iter().enumerate() {
                    let target_id = db::new_id();
                    let team = &teams[(i / 8) % teams.len()];
                    sqlx::query(
                        "INSERT INTO targets (id, round_id, org_id, team_id, station_start, station_end, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(&target_id)
                    .bind(&round_id)
                    .bind(*org)
                    .bind(team)
                    .bind(day(0, 10))
                    .bind(day(1, 20))
                    .bind(&now)
                    .execute(&mut **tx)
                    .await?;
                    targets += 1;
                    let leader = &inspectors[((i / 8) % teams.len()) % inspectors.len()];
                    tasks +=
                        findings_and_tasks(tx, &mut rng, &target_id, org, phase, round_end, leader)
                            .await?;
                }
            }
        }
    }
    Ok((targets, tasks))
}

/// An organisation's target in the latest round it is in.
async fn latest_target(tx: &mut Tx<'_>, org: &str) -> anyhow::Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT t.id FROM targets t JOIN rounds r ON r.id = t.round_id \
         WHERE t.org_id = $1 ORDER BY r.start_date DESC LIMIT 1",
    )
    .bind(org)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The demo's cases on one village's latest target: findings with tasks in every state, a
/// petition on every channel and outcome, and two evaluations (one past its threshold). For
/// tests that need a village with a whole inspection behind it.
pub async fn seed_cases(tx: &mut Tx<'_>, village: &str, target: &str) -> anyhow::Result<()> {
    cases::seed(tx, village).await?;
    petitions::seed(tx, target).await?;
    evaluations::seed(tx, target).await
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
    let (count, counties, first_village) = generate(&mut tx, size).await?;
    let people = [
        ("admin", "王建国", Role::Admin, None),
        ("zhangwei", "张伟", Role::Inspector, None),
        ("lina", "李娜", Role::Inspector, None),
        ("wangfang", "王芳", Role::Inspector, None),
        ("zhaoqiang", "赵强", Role::Inspector, None),
        ("sunmin", "孙敏", Role::Inspector, None),
        ("zhoujie", "周杰", Role::Inspector, None),
        ("liuyang", "刘洋", Role::Discipline, None),
        ("qingshi", "陈秀英", Role::Unit, Some(first_village.clone())),
    ];
    // One hash for every demo account: they share the published demo password anyway.
    let hash = crate::passwords::hash_now(PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut inspectors = Vec::new();
    for (username, name, role, org_id) in people {
        let req = CreateUser {
            username: username.into(),
            display_name: name.into(),
            role,
            org_id,
            password: PASSWORD.into(),
        };
        let user = users::insert(&mut tx, None, &req, &hash)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if role == Role::Inspector {
            inspectors.push(user.id);
        }
    }
    let (targets, tasks) = if size.rounds {
        let made = generate_rounds(&mut tx, size, &counties, &inspectors, &first_village).await?;
        cases::seed(&mut tx, &first_village).await?;
        if let Some(target) = latest_target(&mut tx, &first_village).await? {
            petitions::seed(&mut tx, &target).await?;
            evaluations::seed(&mut tx, &target).await?;
        }
        made
    } else {
        (0, 0)
    };
    audit::record(
        &mut tx,
        None,
        "demo.seed",
        "system",
        None,
        json!({ "orgs": count, "targets": targets, "tasks": tasks }),
    );
    tx.commit().await?;
    tracing::info!(
        orgs = count,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo data created"
    );
    Ok(true)
}
