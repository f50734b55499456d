//! Nested lists load through DataLoaders: the statements a query runs depend on its shape,
//! not on how many rows it returns.

use super::*;

const DASHBOARD: &str = "query($search: String!) {
  releases(first: 100, filter: {topLevel: true, search: $search}) {
    nodes { ...R children { ...R } }
  }
}
fragment R on Release {
  key status owner { email }
  phases { name plannedStart }
  milestones { name plannedDate }
  impacts { kind system { code } }
  packages { name version deployments { version environment { name tier } } }
}";

fn count_releases(data: &Value) -> usize {
    data["releases"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| 1 + r["children"].as_array().unwrap().len())
        .sum()
}

async fn the_dashboard_query_runs_the_same_statements_for_10_and_200_releases(app: TestApp) {
    heatshield::seed::bulk(&app.store, "SMALL", 10, 3)
        .await
        .unwrap();
    heatshield::seed::bulk(&app.store, "LARGE", 200, 3)
        .await
        .unwrap();

    let (small_statements, small) = app
        .statements_during(app.ok(DASHBOARD, json!({ "search": "small-" }), Viewer))
        .await;
    let (large_statements, large) = app
        .statements_during(app.ok(DASHBOARD, json!({ "search": "large-" }), Viewer))
        .await;
    assert_eq!(count_releases(&small), 10);
    assert_eq!(count_releases(&large), 200);
    let deployments = large["releases"]["nodes"][0]["children"][0]["packages"][0]["deployments"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(deployments, 2, "the nested data is really there");
    assert_eq!(
        small_statements, large_statements,
        "statements must not grow with the rows returned"
    );
    // Signing the viewer in (2), the page (1), then one batch per relation and level: owner,
    // phases, milestones, impacts → system, packages → deployments → environment, children,
    // and the same again for the children (some batches merge across levels).
    assert!(
        large_statements <= 20.0,
        "{large_statements} statements for one dashboard request"
    );
}

async fn a_flat_page_of_100_costs_what_a_page_of_10_costs(app: TestApp) {
    heatshield::seed::bulk(&app.store, "FLAT", 120, 2)
        .await
        .unwrap();
    let query = "query($n: Int!) { releases(first: $n) { totalCount nodes { key parent { key } packages { system { code } } dependsOn { key } } } }";
    let (ten, _) = app
        .statements_during(app.ok(query, json!({ "n": 10 }), Viewer))
        .await;
    let (hundred, data) = app
        .statements_during(app.ok(query, json!({ "n": 100 }), Viewer))
        .await;
    assert_eq!(data["releases"]["nodes"].as_array().unwrap().len(), 100);
    assert_eq!(ten, hundred);
}

both!(
    the_dashboard_query_runs_the_same_statements_for_10_and_200_releases,
    a_flat_page_of_100_costs_what_a_page_of_10_costs
);
