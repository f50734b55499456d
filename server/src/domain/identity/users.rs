//! User accounts and their roles.

use entity::{Role, app_user, roles_from_column, roles_to_column};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::identity::password;
use crate::domain::identity::secrets::random_id;
use crate::domain::ids::{TypedId, UserId, new_uuid};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{Actor, DomainError, DomainResult, search, validate};

/// Who the identity provider says the caller is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    /// `iss|sub`, stable across email changes.
    pub subject: String,
    pub email: String,
    pub name: Option<String>,
    pub roles: Vec<Role>,
}

pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password: Option<String>,
    pub roles: Vec<Role>,
}

#[derive(Default)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub roles: Option<Vec<Role>>,
    pub active: Option<bool>,
}

#[derive(Default)]
pub struct UserFilter {
    pub search: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

pub fn normalize_email(field: &str, email: &str) -> DomainResult<String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 320
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.contains(char::is_whitespace);
    if !valid {
        return Err(DomainError::validation(field, "must be an email address"));
    }
    Ok(email)
}

fn check_roles(roles: &[Role]) -> DomainResult<()> {
    if roles.is_empty() {
        return Err(DomainError::validation(
            "roles",
            "give at least one role (VIEWER for read-only)",
        ));
    }
    Ok(())
}

async fn hash_password(field: &str, password: String) -> DomainResult<String> {
    if let Some(problem) = password::policy_violation(&password) {
        return Err(DomainError::validation(field, problem));
    }
    password::hash(password)
        .await
        .map_err(DomainError::Internal)
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: UserId) -> DomainResult<app_user::Model> {
    app_user::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("User", id))
}

pub async fn find_by_email<C: ConnectionTrait>(
    conn: &C,
    email: &str,
) -> DomainResult<Option<app_user::Model>> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.trim().to_lowercase()))
        .one(conn)
        .await?)
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &UserFilter,
    page: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<app_user::Model>> {
    let mut query = app_user::Entity::find();
    if let Some(text) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
        query = query.filter(search::any_contains(
            &[app_user::Column::Email, app_user::Column::DisplayName],
            text,
        ));
    }
    if let Some(role) = filter.role {
        // Roles are stored as a sorted comma list; match the whole name between separators.
        query = query.filter(
            sea_orm::Condition::any()
                .add(app_user::Column::Roles.eq(role.as_str()))
                .add(app_user::Column::Roles.starts_with(format!("{},", role.as_str())))
                .add(app_user::Column::Roles.ends_with(format!(",{}", role.as_str())))
                .add(app_user::Column::Roles.contains(format!(",{},", role.as_str()))),
        );
    }
    if let Some(active) = filter.active {
        query = query.filter(app_user::Column::Active.eq(active));
    }
    let key = SortKey {
        name: "email",
        column: app_user::Column::Email,
        id_column: app_user::Column::Id,
        descending: false,
        value: |m: &app_user::Model| SortValue::Text(m.email.clone()),
        id: |m: &app_user::Model| m.id,
    };
    paginate(conn, query, &key, page, with_total).await
}

pub async fn create(store: &Store, actor: &Actor, input: NewUser) -> DomainResult<app_user::Model> {
    // Input errors first: hashing is slow.
    normalize_email("email", &input.email)?;
    validate::required("displayName", &input.display_name, 200)?;
    check_roles(&input.roles)?;
    let password_hash = match input.password.clone() {
        Some(password) => Some(hash_password("password", password).await?),
        None => None,
    };
    create_hashed(store, actor, input, password_hash).await
}

/// As `create`, with the password already hashed (`input.password` is ignored): the demo
/// gives every demo user the one demo password and hashes it once.
pub async fn create_hashed(
    store: &Store,
    actor: &Actor,
    input: NewUser,
    password_hash: Option<String>,
) -> DomainResult<app_user::Model> {
    let email = normalize_email("email", &input.email)?;
    let display_name = validate::required("displayName", &input.display_name, 200)?;
    check_roles(&input.roles)?;
    let tx = store.write().await?;
    if let Some(existing) = find_by_email(&*tx, &email).await? {
        return Err(DomainError::Conflict {
            message: format!("a user with email {email} already exists"),
            conflicting: vec![UserId(existing.id).encode()],
        });
    }
    let now = store.now();
    let model = app_user::ActiveModel {
        id: Set(new_uuid()),
        email: Set(email),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
        roles: Set(roles_to_column(&input.roles)),
        active: Set(true),
        security_stamp: Set(random_id()),
        external_subject: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("user.create", "User", model.id).after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: UserId,
    patch: UserPatch,
) -> DomainResult<app_user::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    if actor.id == Some(before.id) {
        // An admin locking themselves out is almost always a mistake.
        if patch.active == Some(false)
            || patch
                .roles
                .as_ref()
                .is_some_and(|r| !r.contains(&Role::Admin))
                && roles_from_column(&before.roles).contains(&Role::Admin)
        {
            return Err(DomainError::validation(
                "roles",
                "you cannot deactivate yourself or remove your own ADMIN role",
            ));
        }
    }
    let mut active = before.clone().into_active_model();
    if let Some(name) = patch.display_name {
        active.display_name = Set(validate::required("displayName", &name, 200)?);
    }
    if let Some(roles) = patch.roles {
        check_roles(&roles)?;
        active.roles = Set(roles_to_column(&roles));
    }
    if let Some(flag) = patch.active {
        active.active = Set(flag);
    }
    active.updated_at = Set(store.now());
    let after = active.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("user.update", "User", after.id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Sets a new password and rotates the security stamp, which ends every existing session.
pub async fn set_password(
    store: &Store,
    actor: &Actor,
    id: UserId,
    password: String,
) -> DomainResult<app_user::Model> {
    let hash = hash_password("password", password).await?;
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let mut active = before.clone().into_active_model();
    active.password_hash = Set(Some(hash));
    active.security_stamp = Set(random_id());
    active.updated_at = Set(store.now());
    let after = active.update(&*tx).await?;
    tx.commit_change(actor, Change::new("user.setPassword", "User", after.id))
        .await?;
    Ok(after)
}

/// Creates or refreshes the account of a single sign-on user. Roles follow the identity
/// provider; an account deactivated in Heatshield stays deactivated.
pub async fn sync_external(
    store: &Store,
    identity: &ExternalIdentity,
) -> DomainResult<app_user::Model> {
    let email = normalize_email("email", &identity.email)?;
    let roles = roles_to_column(&identity.roles);
    let display_name = identity.name.clone().unwrap_or_else(|| email.clone());
    let existing = match app_user::Entity::find()
        .filter(app_user::Column::ExternalSubject.eq(identity.subject.clone()))
        .one(store.conn())
        .await?
    {
        Some(user) => Some(user),
        None => find_by_email(store.conn(), &email).await?,
    };
    if let Some(user) = &existing {
        let unchanged = user.roles == roles
            && user.email == email
            && user.display_name == display_name
            && user.external_subject.as_deref() == Some(identity.subject.as_str());
        if unchanged {
            return Ok(user.clone());
        }
    }
    let actor = Actor::system("single sign-on");
    let mut tx = store.write().await?;
    let now = store.now();
    let model = match existing {
        Some(before) => {
            let mut active = before.clone().into_active_model();
            active.roles = Set(roles);
            active.email = Set(email);
            active.display_name = Set(display_name);
            active.external_subject = Set(Some(identity.subject.clone()));
            active.updated_at = Set(now);
            let after = active.update(&*tx).await?;
            tx.record(
                &actor,
                Change::new("user.ssoSync", "User", after.id)
                    .before(&before)
                    .after(&after),
            )
            .await?;
            after
        }
        None => {
            let model = app_user::ActiveModel {
                id: Set(new_uuid()),
                email: Set(email),
                display_name: Set(display_name),
                password_hash: Set(None),
                roles: Set(roles),
                active: Set(true),
                security_stamp: Set(random_id()),
                external_subject: Set(Some(identity.subject.clone())),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&*tx)
            .await?;
            tx.record(
                &actor,
                Change::new("user.ssoProvision", "User", model.id).after(&model),
            )
            .await?;
            model
        }
    };
    tx.commit().await?;
    Ok(model)
}

/// A user changing their own password must prove they know the current one.
pub async fn change_own_password(
    store: &Store,
    actor: &Actor,
    current: String,
    new_password: String,
) -> DomainResult<app_user::Model> {
    let Some(user_id) = actor.user_id() else {
        return Err(DomainError::validation(
            "currentPassword",
            "only users have passwords",
        ));
    };
    let user = get(store.conn(), UserId(user_id)).await?;
    if !password::verify(current, user.password_hash.clone()).await {
        return Err(DomainError::validation("currentPassword", "is not correct"));
    }
    set_password(store, actor, UserId(user_id), new_password).await
}
