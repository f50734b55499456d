//! Sign-in, tokens, sessions, API tokens and single sign-on.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};

use super::*;

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token expiresAt user { email roles } } }";
const ME: &str = "{ me { kind name roles user { email } apiToken { name } } }";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

async fn create_user(app: &TestApp, email: &str, password: &str, roles: &[&str]) -> String {
    let data = app
        .ok(
            "mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }",
            json!({ "input": { "email": email, "displayName": email, "password": password, "roles": roles } }),
            Admin,
        )
        .await;
    text(&data, "createUser.user.id")
}

async fn login(app: &TestApp, email: &str, password: &str) -> Value {
    app.gql(LOGIN, json!({ "e": email, "p": password }), None)
        .await
}

async fn status_with(app: &TestApp, token: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn people_sign_in_and_out(app: TestApp) {
    create_user(
        &app,
        "Rita@Bank.example",
        "correct horse battery",
        &["RELEASE_MANAGER"],
    )
    .await;
    let answer = login(&app, "rita@bank.example", "correct horse battery").await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    let token = text(&answer, "data.login.token");
    assert_eq!(
        at(&answer, "data.login.user.email"),
        "rita@bank.example",
        "emails are case-insensitive"
    );

    // The token is a JWT with the documented claims.
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    for claim in ["sub", "roles", "exp", "iat", "jti", "iss", "aud"] {
        assert!(
            claims.get(claim).is_some(),
            "claim {claim} missing in {claims}"
        );
    }
    assert_eq!(claims["roles"], json!(["RELEASE_MANAGER"]));

    let me = app.gql_with_token(ME, json!({}), Some(&token)).await;
    assert_eq!(
        at(&me, "data.me"),
        &json!({ "kind": "USER", "name": "Rita@Bank.example", "roles": ["RELEASE_MANAGER"], "user": { "email": "rita@bank.example" }, "apiToken": null })
    );
    // What the roles allow, so clients need not copy the permission matrix.
    let permissions = app
        .gql_with_token("{ me { permissions } }", json!({}), Some(&token))
        .await;
    let permissions = at(&permissions, "data.me.permissions")
        .as_array()
        .unwrap()
        .clone();
    for held in [
        "READ",
        "CONTROL_RELEASES",
        "MANAGE_GATES",
        "OVERRIDE_BLACKOUTS",
    ] {
        assert!(
            permissions.contains(&json!(held)),
            "{held} in {permissions:?}"
        );
    }
    for not_held in [
        "MANAGE_USERS",
        "DECIDE_BOOKINGS",
        "RUN_PLANS",
        "READ_SECRETS",
    ] {
        assert!(
            !permissions.contains(&json!(not_held)),
            "{not_held} in {permissions:?}"
        );
    }

    // Wrong passwords and unknown accounts get the same answer.
    let wrong = login(&app, "rita@bank.example", "wrong horse battery").await;
    let unknown = login(&app, "nobody@bank.example", "wrong horse battery").await;
    assert_eq!(wrong["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );

    // Sign-out revokes that token only.
    let second = text(
        &login(&app, "rita@bank.example", "correct horse battery").await,
        "data.login.token",
    );
    let out = app
        .gql_with_token("mutation { logout { signedOut } }", json!({}), Some(&token))
        .await;
    assert_eq!(at(&out, "data.logout.signedOut"), true);
    let (status, body) = status_with(&app, &token).await;
    assert_eq!(status, 401);
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(status_with(&app, &second).await.0, 200);

    // A session renews itself: a new token, with the user's roles as they are now.
    let renew = "mutation { renewSession { token expiresAt user { email roles } } }";
    let renewed = app.gql_with_token(renew, json!({}), Some(&second)).await;
    assert!(renewed.get("errors").is_none(), "{renewed:#}");
    let third = text(&renewed, "data.renewSession.token");
    assert_ne!(third, second);
    assert_eq!(
        at(&renewed, "data.renewSession.user.email"),
        "rita@bank.example"
    );
    assert_eq!(status_with(&app, &third).await.0, 200);
    assert_eq!(
        status_with(&app, &second).await.0,
        200,
        "the old token runs out by itself"
    );
    // API tokens are not sessions.
    let created = app
        .ok(
            "mutation($e: DateTime!) { createApiToken(input: {name: \"Wall\", roles: [VIEWER], expiresAt: $e}) { secret } }",
            json!({ "e": (now() + chrono::Duration::days(30)).to_rfc3339() }),
            Admin,
        )
        .await;
    let tool = app
        .gql_with_token(
            renew,
            json!({}),
            Some(&text(&created, "createApiToken.secret")),
        )
        .await;
    assert_eq!(
        tool["errors"][0]["extensions"]["code"], "VALIDATION",
        "{tool}"
    );
    let anonymous = app.gql(renew, json!({}), None).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );

    // A password change ends every session.
    let changed = app
        .gql_with_token(
            "mutation { changeMyPassword(input: {currentPassword: \"correct horse battery\", newPassword: \"even better horse\"}) { user { email } } }",
            json!({}),
            Some(&second),
        )
        .await;
    assert!(changed.get("errors").is_none(), "{changed:#}");
    assert_eq!(status_with(&app, &second).await.0, 401);
    assert_eq!(status_with(&app, &third).await.0, 401, "renewed ones too");
    assert!(
        login(&app, "rita@bank.example", "even better horse")
            .await
            .get("errors")
            .is_none()
    );

    // Anonymous callers reach login and nothing else.
    app.fails(ME, json!({}), None, "UNAUTHENTICATED").await;
    app.fails(
        "{ releases { totalCount } }",
        json!({}),
        None,
        "UNAUTHENTICATED",
    )
    .await;
}

async fn deactivation_and_role_changes_apply_on_the_next_request(app: TestApp) {
    let id = create_user(
        &app,
        "pm@bank.example",
        "correct horse battery",
        &["VIEWER"],
    )
    .await;
    let token = text(
        &login(&app, "pm@bank.example", "correct horse battery").await,
        "data.login.token",
    );
    let create =
        "mutation { createSystem(input: {code: \"NEW\", name: \"New\"}) { system { id } } }";
    let before = app.gql_with_token(create, json!({}), Some(&token)).await;
    assert_eq!(before["errors"][0]["extensions"]["code"], "FORBIDDEN");

    app.ok("mutation($id: ID!) { updateUser(input: {id: $id, roles: [PORTFOLIO_MANAGER]}) { user { roles } } }", json!({ "id": id }), Admin).await;
    let after = app.gql_with_token(create, json!({}), Some(&token)).await;
    assert!(
        after.get("errors").is_none(),
        "the same token now carries the new role: {after:#}"
    );

    app.ok(
        "mutation($id: ID!) { updateUser(input: {id: $id, active: false}) { user { active } } }",
        json!({ "id": id }),
        Admin,
    )
    .await;
    let (status, body) = status_with(&app, &token).await;
    assert_eq!(status, 401);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("deactivated")
    );
    assert_eq!(
        login(&app, "pm@bank.example", "correct horse battery").await["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );

    // Admins cannot lock themselves out by accident; bad input is refused.
    let admin_id = app.user_id(Admin);
    app.fails(
        "mutation($id: ID!) { updateUser(input: {id: $id, active: false}) { user { id } } }",
        json!({ "id": admin_id }),
        Some(Admin),
        "VALIDATION",
    )
    .await;
    app.fails("mutation { createUser(input: {email: \"x\", displayName: \"X\", roles: [VIEWER]}) { user { id } } }", json!({}), Some(Admin), "VALIDATION").await;
    app.fails("mutation { createUser(input: {email: \"a@b.example\", displayName: \"X\", password: \"short\", roles: [VIEWER]}) { user { id } } }", json!({}), Some(Admin), "VALIDATION").await;
    app.fails("mutation { createUser(input: {email: \"a@b.example\", displayName: \"X\", roles: []}) { user { id } } }", json!({}), Some(Admin), "VALIDATION").await;
    app.fails("mutation { createUser(input: {email: \"PM@bank.example\", displayName: \"X\", roles: [VIEWER]}) { user { id } } }", json!({}), Some(Admin), "CONFLICT").await;
}

async fn repeated_failed_logins_are_throttled(app: TestApp) {
    create_user(
        &app,
        "target@bank.example",
        "correct horse battery",
        &["VIEWER"],
    )
    .await;
    for _ in 0..3 {
        let answer = login(&app, "target@bank.example", "guess").await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
    let throttled = login(&app, "target@bank.example", "correct horse battery").await;
    assert_eq!(
        throttled["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{throttled:#}"
    );
    assert!(
        throttled["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_u64()
            .unwrap()
            > 0
    );
    // Other accounts from other addresses are unaffected; the trail keeps every attempt.
    create_user(
        &app,
        "other@bank.example",
        "correct horse battery",
        &["VIEWER"],
    )
    .await;
    let failures = app
        .ok(
            "{ auditEvents(first: 100) { nodes { action } } }",
            json!({}),
            Admin,
        )
        .await["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["action"] == "auth.loginFailed")
        .count();
    assert_eq!(failures, 3);
}

async fn forged_expired_and_foreign_tokens_are_refused(app: TestApp) {
    // Token claims are checked against the real time, not the server's clock.
    let now = chrono::Utc::now().timestamp();
    let user = app.user_id(Admin);
    let stamp_claims = |overrides: Value| {
        let mut claims = json!({ "sub": user, "roles": ["ADMIN"], "exp": now + 600, "iat": now, "nbf": now, "jti": "j1", "iss": "heatshield", "aud": "heatshield", "stamp": "x" });
        for (key, value) in overrides.as_object().unwrap() {
            claims[key] = value.clone();
        }
        claims
    };
    let secret = app.settings.jwt.secret.clone().unwrap();
    let sign = |claims: &Value, key: &[u8]| {
        encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(key),
        )
        .unwrap()
    };

    let cases = vec![
        (
            "another secret",
            sign(
                &stamp_claims(json!({})),
                b"another-secret-another-secret-another",
            ),
        ),
        (
            "expired",
            sign(
                &stamp_claims(json!({ "exp": now - 3600, "iat": now - 7200, "nbf": now - 7200 })),
                secret.as_bytes(),
            ),
        ),
        (
            "wrong issuer",
            sign(&stamp_claims(json!({ "iss": "evil" })), secret.as_bytes()),
        ),
        (
            "wrong audience",
            sign(
                &stamp_claims(json!({ "aud": "other-app" })),
                secret.as_bytes(),
            ),
        ),
        (
            "not yet valid",
            sign(
                &stamp_claims(json!({ "nbf": now + 3600 })),
                secret.as_bytes(),
            ),
        ),
        ("garbage", "a.b.c".to_owned()),
    ];
    let rs256 = encode(
        &Header::new(Algorithm::RS256),
        &stamp_claims(json!({})),
        &EncodingKey::from_rsa_pem(&std::fs::read(fixture("idp-rsa-private.pem")).unwrap())
            .unwrap(),
    )
    .unwrap();
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let none = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        b64(&stamp_claims(json!({})))
    );
    for (name, token) in cases
        .into_iter()
        .chain([("RS256 instead of HS256", rs256), ("alg none", none)])
    {
        let (status, body) = status_with(&app, &token).await;
        assert_eq!(status, 401, "{name}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{name}"
        );
        // A GET is refused the same way: a bad token is never taken for no token.
        let response = app
            .client
            .get(app.url("/graphql"))
            .query(&[("query", "{ __typename }")])
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401, "{name} over GET");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{name} over GET"
        );
    }
    let expired = sign(
        &stamp_claims(json!({ "exp": now - 3600, "iat": now - 7200, "nbf": now - 7200 })),
        secret.as_bytes(),
    );
    let (_, body) = status_with(&app, &expired).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    // The server keeps serving.
    assert_eq!(status_with(&app, app.token(Viewer)).await.0, 200);
}

async fn api_tokens_serve_third_party_tools(app: TestApp) {
    let expires = (now() + chrono::Duration::days(30)).to_rfc3339();
    let created = app
        .ok(
            "mutation($e: DateTime!) { createApiToken(input: {name: \"Jenkins\", roles: [IMPLEMENTATION_MANAGER], expiresAt: $e}) { secret apiToken { id name prefix roles active lastUsedAt } } }",
            json!({ "e": expires }),
            Admin,
        )
        .await;
    let secret = text(&created, "createApiToken.secret");
    let id = text(&created, "createApiToken.apiToken.id");
    assert!(secret.starts_with("hst_"));
    assert!(
        secret.starts_with(
            at(&created, "createApiToken.apiToken.prefix")
                .as_str()
                .unwrap()
        )
    );
    assert_eq!(
        at(&created, "createApiToken.apiToken.lastUsedAt"),
        &Value::Null
    );

    let me = app.gql_with_token(ME, json!({}), Some(&secret)).await;
    assert_eq!(
        at(&me, "data.me"),
        &json!({ "kind": "API_TOKEN", "name": "Jenkins", "roles": ["IMPLEMENTATION_MANAGER"], "user": null, "apiToken": { "name": "Jenkins" } })
    );

    // The tool records a deployment; it shows as the token's.
    let system = app.create_system("SYS").await;
    let env = app.create_environment("SIT1", "SIT", &[&system]).await;
    let release = app.create_release("PR-1", "PROJECT", None).await;
    let package = app.create_package(&release, &system, "pkg", "1.0.0").await;
    let recorded = app
        .gql_with_token(
            "mutation($p: ID!, $e: ID!) { recordDeployment(input: {packageId: $p, environmentId: $e}) { deployment { deployedByName deployedBy { email } } } }",
            json!({ "p": package, "e": env }),
            Some(&secret),
        )
        .await;
    assert_eq!(
        at(&recorded, "data.recordDeployment.deployment"),
        &json!({ "deployedByName": "Jenkins (API token)", "deployedBy": null })
    );
    let forbidden = app
        .gql_with_token(
            "mutation { createSystem(input: {code: \"X\", name: \"X\"}) { system { id } } }",
            json!({}),
            Some(&secret),
        )
        .await;
    assert_eq!(forbidden["errors"][0]["extensions"]["code"], "FORBIDDEN");

    // Listed with its last use, and never with its secret.
    let listed = app
        .ok(
            "{ apiTokens { name roles lastUsedAt active } }",
            json!({}),
            Admin,
        )
        .await;
    assert_eq!(at(&listed, "apiTokens.0.name"), "Jenkins");
    assert!(at(&listed, "apiTokens.0.lastUsedAt").is_string());
    assert!(!listed.to_string().contains(&secret));

    // Revocation takes effect at once.
    app.ok(
        "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { apiToken { active revokedAt } } }",
        json!({ "id": id }),
        Admin,
    )
    .await;
    assert_eq!(status_with(&app, &secret).await.0, 401);
    assert_eq!(
        at(
            &app.ok("{ apiTokens { name } }", json!({}), Admin).await,
            "apiTokens"
        ),
        &json!([])
    );
    assert_eq!(
        at(
            &app.ok(
                "{ apiTokens(includeInactive: true) { active } }",
                json!({}),
                Admin
            )
            .await,
            "apiTokens"
        ),
        &json!([{ "active": false }])
    );

    // Expiry is required in the future, at most two years ahead; only admins create tokens.
    let create = "mutation($e: DateTime!) { createApiToken(input: {name: \"T\", roles: [VIEWER], expiresAt: $e}) { secret } }";
    app.fails(
        create,
        json!({ "e": "2001-01-01T00:00:00Z" }),
        Some(Admin),
        "VALIDATION",
    )
    .await;
    app.fails(
        create,
        json!({ "e": "2999-01-01T00:00:00Z" }),
        Some(Admin),
        "VALIDATION",
    )
    .await;
    app.fails(
        create,
        json!({ "e": expires }),
        Some(ReleaseManager),
        "FORBIDDEN",
    )
    .await;

    // An expired token no longer works.
    let short = app
        .ok(
            create,
            json!({ "e": (now() + chrono::Duration::seconds(2)).to_rfc3339() }),
            Admin,
        )
        .await;
    let short_secret = text(&short, "createApiToken.secret");
    assert_eq!(status_with(&app, &short_secret).await.0, 200);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(status_with(&app, &short_secret).await.0, 401);
}

both!(
    people_sign_in_and_out,
    deactivation_and_role_changes_apply_on_the_next_request,
    forged_expired_and_foreign_tokens_are_refused,
    api_tokens_serve_third_party_tools
);

both_with!(
    throttling,
    |s| s.limits.login_failures = 3,
    repeated_failed_logins_are_throttled
);

/// Single sign-on against a JWKS, and RS256/ES256 signing of Heatshield's own tokens.
async fn single_sign_on_provisions_users_with_mapped_roles(app: TestApp) {
    let key =
        EncodingKey::from_rsa_pem(&std::fs::read(fixture("idp-rsa-private.pem")).unwrap()).unwrap();
    // Token claims are checked against the real time, not the server's clock.
    let now = chrono::Utc::now().timestamp();
    let idp_token = |sub: &str, groups: Value, issuer: &str| {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some("idp-key-1".into());
        let claims = json!({ "iss": issuer, "aud": "heatshield", "sub": sub, "exp": now + 600, "iat": now, "email": format!("{sub}@bank.example"), "name": format!("SSO {sub}"), "groups": groups });
        encode(&header, &claims, &key).unwrap()
    };
    let token = idp_token(
        "alice",
        json!(["rm-team", "unrelated"]),
        "https://idp.example",
    );
    let me = app.gql_with_token(ME, json!({}), Some(&token)).await;
    assert_eq!(
        at(&me, "data.me.roles"),
        &json!(["RELEASE_MANAGER"]),
        "{me:#}"
    );
    assert_eq!(at(&me, "data.me.user.email"), "alice@bank.example");

    // Groups changed at the provider apply at the next request; unmapped users are viewers.
    let promoted = idp_token("alice", json!(["env-team", "ADMIN"]), "https://idp.example");
    assert_eq!(
        at(
            &app.gql_with_token(ME, json!({}), Some(&promoted)).await,
            "data.me.roles"
        ),
        &json!(["ADMIN", "ENVIRONMENT_MANAGER"])
    );
    let plain = idp_token("bob", json!([]), "https://idp.example");
    assert_eq!(
        at(
            &app.gql_with_token(ME, json!({}), Some(&plain)).await,
            "data.me.roles"
        ),
        &json!(["VIEWER"])
    );
    let users = app
        .ok(
            "{ users(filter: {search: \"alice\"}) { nodes { email sso } } }",
            json!({}),
            Admin,
        )
        .await;
    assert_eq!(
        at(&users, "users.nodes"),
        &json!([{ "email": "alice@bank.example", "sso": true }])
    );

    // A Heatshield deactivation wins over the provider; other issuers are not trusted.
    let alice = app
        .ok(
            "{ users(filter: {search: \"alice\"}) { nodes { id } } }",
            json!({}),
            Admin,
        )
        .await;
    app.ok(
        "mutation($id: ID!) { updateUser(input: {id: $id, active: false}) { user { active } } }",
        json!({ "id": text(&alice, "users.nodes.0.id") }),
        Admin,
    )
    .await;
    assert_eq!(status_with(&app, &token).await.0, 401);
    assert_eq!(
        status_with(&app, &idp_token("carol", json!([]), "https://evil.example"))
            .await
            .0,
        401
    );
    let mut tampered = idp_token("dave", json!(["ADMIN"]), "https://idp.example");
    tampered.push('x');
    assert_eq!(status_with(&app, &tampered).await.0, 401);
}

both_with!(
    sso,
    |s| {
        s.sso = Some(heatshield::config::SsoSettings {
            issuer: "https://idp.example".into(),
            audience: "heatshield".into(),
            key_file: fixture("idp-jwks.json"),
            roles_claim: "groups".into(),
            email_claim: "email".into(),
            role_map: vec![
                ("rm-team".into(), "RELEASE_MANAGER".into()),
                ("env-team".into(), "ENVIRONMENT_MANAGER".into()),
            ],
        })
    },
    single_sign_on_provisions_users_with_mapped_roles
);

/// Heatshield's own tokens signed with a key pair instead of a shared secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_pair_signing_issues_and_verifies_tokens() {
    for (algorithm, private, public) in [
        (
            heatshield::config::JwtAlgorithm::Rs256,
            "server-rsa-private.pem",
            "server-rsa-public.pem",
        ),
        (
            heatshield::config::JwtAlgorithm::Es256,
            "server-ec-private.pem",
            "server-ec-public.pem",
        ),
    ] {
        let app = TestApp::spawn_with(Backend::Sqlite, |s| {
            s.jwt.algorithm = algorithm;
            s.jwt.private_key_pem = Some(fixture(private));
            s.jwt.public_key_pem = Some(fixture(public));
        })
        .await
        .unwrap();
        create_user(
            &app,
            "kp@bank.example",
            "correct horse battery",
            &["VIEWER"],
        )
        .await;
        let token = text(
            &login(&app, "kp@bank.example", "correct horse battery").await,
            "data.login.token",
        );
        let header: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(token.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            header["alg"],
            if algorithm == heatshield::config::JwtAlgorithm::Rs256 {
                "RS256"
            } else {
                "ES256"
            }
        );
        assert_eq!(status_with(&app, &token).await.0, 200);
    }
}
