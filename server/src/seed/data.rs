//! The demo portfolio of "Heatshield Bank", an internet bank.

use entity::{
    Criticality::*, EnvironmentStatus, EnvironmentTier, ImpactKind, PackageStatus, ReleaseKind,
    ReleaseStatus, RiskLevel, Role,
};

pub const USERS: &[(&str, &str, Role)] = &[
    ("ada.admin", "Ada Admin", Role::Admin),
    ("rita.release", "Rita Release", Role::ReleaseManager),
    (
        "eric.environments",
        "Eric Environments",
        Role::EnvironmentManager,
    ),
    ("tess.tester", "Tess Tester", Role::TestManager),
    (
        "ian.implementer",
        "Ian Implementer",
        Role::ImplementationManager,
    ),
    ("paula.portfolio", "Paula Portfolio", Role::PortfolioManager),
    ("sam.service", "Sam Service", Role::ServiceManager),
    ("pete.project", "Pete Project", Role::ProjectManager),
    ("vera.viewer", "Vera Viewer", Role::Viewer),
];

/// (code, name, owner, criticality, description)
pub const SYSTEMS: &[(&str, &str, &str, entity::Criticality, &str)] = &[
    (
        "CORE-BANK",
        "Core Banking (Oracle)",
        "Core Banking Platform",
        Tier1,
        "Ledger, accounts and postings on Oracle Database; the system of record.",
    ),
    (
        "ACCOUNTS",
        "Accounts Service",
        "Retail Accounts",
        Tier1,
        "Account opening, balances and statements for digital channels.",
    ),
    (
        "PAYMENTS",
        "Payments Hub",
        "Payments Platform",
        Tier1,
        "Domestic, SEPA and instant payments orchestration.",
    ),
    (
        "FRAUD",
        "Fraud Detection",
        "Financial Crime",
        Tier1,
        "Real-time transaction scoring and case management.",
    ),
    (
        "CARDS",
        "Card Management",
        "Cards",
        Tier2,
        "Debit and credit card lifecycle, limits and controls.",
    ),
    (
        "WEB-BANK",
        "Internet Banking Web",
        "Digital Channels",
        Tier1,
        "The customer-facing web banking front end.",
    ),
    (
        "MOBILE",
        "Mobile Banking App",
        "Digital Channels",
        Tier1,
        "iOS and Android banking apps and their backend-for-frontend.",
    ),
    (
        "ATM",
        "ATM Services",
        "Self-Service",
        Tier2,
        "ATM switching and the ATM fleet software.",
    ),
    (
        "IAM",
        "Customer Identity & Access",
        "Security Engineering",
        Tier1,
        "Customer login, strong authentication and consent.",
    ),
    (
        "API-GW",
        "API Gateway",
        "Integration",
        Tier2,
        "External and open-banking APIs.",
    ),
    (
        "NOTIFY",
        "Notifications",
        "Digital Channels",
        Tier3,
        "Push, SMS and e-mail notifications.",
    ),
    (
        "LOANS",
        "Loan Origination",
        "Lending",
        Tier2,
        "Consumer loan applications and decisions.",
    ),
    (
        "DWH",
        "Data Warehouse",
        "Data & Analytics",
        Tier3,
        "Regulatory reporting and analytics.",
    ),
    (
        "CRM",
        "Customer Relationship Management",
        "Customer Service",
        Tier3,
        "Contact centre and branch CRM.",
    ),
];

pub const ALL_SYSTEMS: &[&str] = &[
    "CORE-BANK",
    "ACCOUNTS",
    "PAYMENTS",
    "FRAUD",
    "CARDS",
    "WEB-BANK",
    "MOBILE",
    "ATM",
    "IAM",
    "API-GW",
    "NOTIFY",
    "LOANS",
    "DWH",
    "CRM",
];

pub const GROUPS: &[(&str, &str)] = &[
    (
        "Integration Lab",
        "Development and system integration test environments.",
    ),
    (
        "Acceptance",
        "User acceptance and performance test environments.",
    ),
    ("Production Path", "Pre-production and production."),
];

pub struct EnvironmentSpec {
    pub name: &'static str,
    pub tier: EnvironmentTier,
    pub status: EnvironmentStatus,
    pub group: &'static str,
    pub capacity: i32,
    pub description: &'static str,
    /// None: hosts every system.
    pub systems: Option<&'static [&'static str]>,
}

pub const ENVIRONMENTS: &[EnvironmentSpec] = &[
    EnvironmentSpec {
        name: "DEV1",
        tier: EnvironmentTier::Dev,
        status: EnvironmentStatus::Available,
        group: "Integration Lab",
        capacity: 4,
        description: "Shared development integration environment.",
        systems: None,
    },
    EnvironmentSpec {
        name: "SIT1",
        tier: EnvironmentTier::Sit,
        status: EnvironmentStatus::Available,
        group: "Integration Lab",
        capacity: 1,
        description: "System integration test, release train A.",
        systems: None,
    },
    EnvironmentSpec {
        name: "SIT2",
        tier: EnvironmentTier::Sit,
        status: EnvironmentStatus::Maintenance,
        group: "Integration Lab",
        capacity: 1,
        description: "System integration test, release train B (Oracle patching).",
        systems: None,
    },
    EnvironmentSpec {
        name: "UAT1",
        tier: EnvironmentTier::Uat,
        status: EnvironmentStatus::Available,
        group: "Acceptance",
        capacity: 1,
        description: "User acceptance test with masked production data.",
        systems: None,
    },
    EnvironmentSpec {
        name: "UAT2",
        tier: EnvironmentTier::Uat,
        status: EnvironmentStatus::Available,
        group: "Acceptance",
        capacity: 1,
        description: "Second UAT for parallel projects.",
        systems: None,
    },
    EnvironmentSpec {
        name: "PERF1",
        tier: EnvironmentTier::Perf,
        status: EnvironmentStatus::Available,
        group: "Acceptance",
        capacity: 1,
        description: "Performance test, production-sized for payments.",
        systems: Some(&["CORE-BANK", "PAYMENTS", "FRAUD", "API-GW", "IAM"]),
    },
    EnvironmentSpec {
        name: "STAGING",
        tier: EnvironmentTier::Staging,
        status: EnvironmentStatus::Available,
        group: "Production Path",
        capacity: 1,
        description: "Pre-production, mirrors production.",
        systems: None,
    },
    EnvironmentSpec {
        name: "PROD",
        tier: EnvironmentTier::Prod,
        status: EnvironmentStatus::Available,
        group: "Production Path",
        capacity: 1,
        description: "Production.",
        systems: None,
    },
];

/// Configuration of an environment: (key, value, secret).
pub fn config_for(env: &str) -> Vec<(String, String, bool)> {
    let lower = env.to_lowercase();
    let mut entries = vec![
        ("oracle.service".to_owned(), format!("CBS_{env}"), false),
        (
            "oracle.host".to_owned(),
            format!("ora-{lower}.db.bank.example"),
            false,
        ),
        (
            "oracle.password".to_owned(),
            format!("{lower}-not-a-real-password"),
            true,
        ),
        (
            "payments.sepa.endpoint".to_owned(),
            format!("https://sepa-{lower}.payments.bank.example"),
            false,
        ),
        (
            "fraud.model.threshold".to_owned(),
            if env == "PROD" {
                "0.82".to_owned()
            } else {
                "0.75".to_owned()
            },
            false,
        ),
        (
            "feature.instant-payments".to_owned(),
            (!matches!(env, "STAGING" | "PROD")).to_string(),
            false,
        ),
        (
            "log.level".to_owned(),
            if matches!(env, "STAGING" | "PROD") {
                "INFO".to_owned()
            } else {
                "DEBUG".to_owned()
            },
            false,
        ),
    ];
    if env == "PERF1" {
        entries.push(("loadgen.tps.target".to_owned(), "2500".to_owned(), false));
    }
    entries
}

pub const PHASES: &[&str] = &["Planning", "Build", "SIT", "UAT", "Pre-prod", "Go-live"];

/// (name, share of the release window)
pub const MILESTONES: &[(&str, i64)] = &[
    ("Scope freeze", 10),
    ("Code freeze", 45),
    ("UAT sign-off", 85),
    ("Go/No-go", 97),
];

pub struct ReleaseSpec {
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub kind: ReleaseKind,
    pub status: ReleaseStatus,
    pub risk: RiskLevel,
    pub parent: Option<&'static str>,
    /// Days from the seeding day.
    pub start: i64,
    pub go_live: i64,
    /// Days the actual dates ran late.
    pub slip: i64,
    pub impacts: &'static [(&'static str, ImpactKind)],
    /// (system, name, version, Jira key)
    pub packages: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

use ImpactKind::{Direct, Regression};

pub const RELEASES: &[ReleaseSpec] = &[
    ReleaseSpec {
        key: "ER-2026.09",
        name: "September 2026 Enterprise Release",
        description: "Quarterly enterprise release: ATM fleet and digital lending.",
        kind: ReleaseKind::Enterprise,
        status: ReleaseStatus::Released,
        risk: RiskLevel::Medium,
        parent: None,
        start: -170,
        go_live: -75,
        slip: 2,
        impacts: &[],
        packages: &[],
    },
    ReleaseSpec {
        key: "PR-3501",
        name: "ATM fleet software 5.2",
        description: "New ATM software with contactless withdrawal.",
        kind: ReleaseKind::Project,
        status: ReleaseStatus::Released,
        risk: RiskLevel::Medium,
        parent: Some("ER-2026.09"),
        start: -165,
        go_live: -75,
        slip: 2,
        impacts: &[
            ("ATM", Direct),
            ("CORE-BANK", Regression),
            ("CARDS", Regression),
        ],
        packages: &[("ATM", "ATM fleet software", "5.2.0", "ATM-812")],
    },
    ReleaseSpec {
        key: "PR-3502",
        name: "Digital loan journey",
        description: "End-to-end digital consumer loan application in web and mobile.",
        kind: ReleaseKind::Project,
        status: ReleaseStatus::Released,
        risk: RiskLevel::High,
        parent: Some("ER-2026.09"),
        start: -160,
        go_live: -75,
        slip: 0,
        impacts: &[
            ("LOANS", Direct),
            ("WEB-BANK", Direct),
            ("MOBILE", Direct),
            ("CRM", Regression),
        ],
        packages: &[
            ("LOANS", "Loan origination digital API", "3.0.0", "LOAN-441"),
            ("WEB-BANK", "Loan application pages", "2026.9.1", "WEB-2310"),
            ("MOBILE", "Loan journey screens", "8.2.0", "MOB-1904"),
        ],
    },
    ReleaseSpec {
        key: "ER-2026.12",
        name: "December 2026 Enterprise Release",
        description: "Quarterly enterprise release: instant payments, real-time fraud scoring, biometric login.",
        kind: ReleaseKind::Enterprise,
        status: ReleaseStatus::InProgress,
        risk: RiskLevel::High,
        parent: None,
        start: -60,
        go_live: 20,
        slip: 0,
        impacts: &[],
        packages: &[],
    },
    ReleaseSpec {
        key: "PR-3601",
        name: "Instant Payments (SEPA Inst) rollout",
        description: "Send and receive SEPA instant credit transfers 24/7.",
        kind: ReleaseKind::Project,
        status: ReleaseStatus::InProgress,
        risk: RiskLevel::Critical,
        parent: Some("ER-2026.12"),
        start: -58,
        go_live: 20,
        slip: 0,
        impacts: &[
            ("PAYMENTS", Direct),
            ("CORE-BANK", Direct),
            ("FRAUD", Regression),
            ("NOTIFY", Regression),
        ],
        packages: &[
            (
                "PAYMENTS",
                "SEPA Inst scheme adapter",
                "7.0.0-rc.3",
                "PAY-4410",
            ),
            (
                "CORE-BANK",
                "Real-time posting interface",
                "19.4.2",
                "CBS-1207",
            ),
        ],
    },
    ReleaseSpec {
        key: "PR-3602",
        name: "Fraud model v7 (real-time scoring)",
        description: "Machine-learning fraud scoring under 50 ms for instant payments.",
        kind: ReleaseKind::Project,
        status: ReleaseStatus::InProgress,
        risk: RiskLevel::High,
        parent: Some("ER-2026.12"),
        start: -55,
        go_live: 20,
        slip: 0,
        impacts: &[("FRAUD", Direct), ("PAYMENTS", Regression)],
        packages: &[("FRAUD", "Scoring engine v7", "7.0.1", "FRD-978")],
    },
    ReleaseSpec {
        key: "PR-3603",
        name: "Mobile app 8.4: biometric login",
        description: "Face and fingerprint login with device binding.",
        kind: ReleaseKind::Project,
        status: ReleaseStatus::Planned,
        risk: RiskLevel::Medium,
        parent: Some("ER-2026.12"),
        start: -30,
        go_live: 20,
        slip: 0,
        impacts: &[("MOBILE", Direct), ("IAM", Direct)],
        packages: &[
            ("MOBILE", "Mobile app", "8.4.0", "MOB-2050"),
            ("IAM", "Device binding service", "2.3.0", "IAM-377"),
        ],
    },
    ReleaseSpec {
        key: "ER-2027.03",
        name: "March 2027 Enterprise Release",
        description: "Quarterly enterprise release: open banking, Oracle upgrade, card controls.",
        kind: ReleaseKind::Enterprise,
        status: ReleaseStatus::Planned,
        risk: RiskLevel::High,
        parent: None,
        start: 30,
        go_live: 115,
        slip: 0,
        impacts: &[],
        packages: &[],
    },
    ReleaseSpec {
        key: "PR-3656",
        name: "Open Banking PSD3 APIs",
        description: "PSD3-compliant account information and payment initiation APIs.",
        kind: ReleaseKind::Project,
        status: ReleaseStatus::Planned,
        risk: RiskLevel::Medium,
        parent: Some("ER-2027.03"),
        start: 30,
        go_live: 115,
        slip: 0,
        impacts: &[
            ("API-GW", Direct),
            ("ACCOUNTS", Direct),
            ("PAYMENTS", Regression),
            ("IAM", Regression),
        ],
        packages: &[
            ("API-GW", "PSD3 API product", "4.0.0", "API-601"),
            ("ACCOUNTS", "Account information API", "6.1.0", "ACC-889"),
        ],
    },
    ReleaseSpec {
        key: "PR-3660",
        name: "Core banking Oracle 19c upgrade",
        description: "Upgrade of the core banking database from Oracle 12c to 19c.",
        kind: ReleaseKind::Project,
        status: ReleaseStatus::Planned,
        risk: RiskLevel::Critical,
        parent: Some("ER-2027.03"),
        start: 32,
        go_live: 115,
        slip: 0,
        impacts: &[
            ("CORE-BANK", Direct),
            ("ACCOUNTS", Regression),
            ("PAYMENTS", Regression),
            ("CARDS", Regression),
            ("DWH", Regression),
        ],
        packages: &[(
            "CORE-BANK",
            "Oracle 19c migration scripts",
            "19.0.0",
            "CBS-1300",
        )],
    },
    ReleaseSpec {
        key: "PR-3671",
        name: "Card controls in web and mobile",
        description: "Freeze cards and set limits from web and mobile banking.",
        kind: ReleaseKind::Project,
        status: ReleaseStatus::Draft,
        risk: RiskLevel::Low,
        parent: Some("ER-2027.03"),
        start: 40,
        go_live: 115,
        slip: 0,
        impacts: &[("CARDS", Direct), ("WEB-BANK", Direct), ("MOBILE", Direct)],
        packages: &[("CARDS", "Card controls API", "3.5.0", "CRD-230")],
    },
    ReleaseSpec {
        key: "EM-2026.11.1",
        name: "Emergency fix: card authorisation timeouts",
        description: "Raise authorisation timeouts after the card network incident.",
        kind: ReleaseKind::Emergency,
        status: ReleaseStatus::Released,
        risk: RiskLevel::High,
        parent: None,
        start: -9,
        go_live: -7,
        slip: 0,
        impacts: &[("CARDS", Direct), ("PAYMENTS", Regression)],
        packages: &[("CARDS", "Authorisation timeout hotfix", "3.4.7", "CRD-219")],
    },
    ReleaseSpec {
        key: "IR-NOTIFY-2.0",
        name: "Notifications platform 2.0",
        description: "New notifications platform with customer preferences.",
        kind: ReleaseKind::Independent,
        status: ReleaseStatus::InProgress,
        risk: RiskLevel::Low,
        parent: None,
        start: -20,
        go_live: 45,
        slip: 0,
        impacts: &[("NOTIFY", Direct), ("MOBILE", Regression)],
        packages: &[("NOTIFY", "Notification service", "2.0.0-beta.2", "NOT-120")],
    },
];

/// (release that waits, release it waits for)
pub const DEPENDENCIES: &[(&str, &str)] = &[
    ("PR-3601", "PR-3602"),
    ("PR-3671", "PR-3660"),
    ("ER-2027.03", "ER-2026.12"),
    ("PR-3656", "PR-3603"),
];

/// How far a release's packages have come.
pub fn package_status(release: ReleaseStatus, index: usize) -> PackageStatus {
    match release {
        ReleaseStatus::Draft => PackageStatus::Planned,
        ReleaseStatus::Planned => {
            if index == 0 {
                PackageStatus::InProgress
            } else {
                PackageStatus::Planned
            }
        }
        ReleaseStatus::InProgress => PackageStatus::Ready,
        ReleaseStatus::GoLive | ReleaseStatus::Released | ReleaseStatus::RolledBack => {
            PackageStatus::Ready
        }
        ReleaseStatus::Cancelled => PackageStatus::Cancelled,
    }
}
