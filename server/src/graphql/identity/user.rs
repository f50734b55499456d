//! Users, sign-in, and API tokens.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entity::{api_token, app_user, roles_from_column};

use crate::auth::Principal;
use crate::domain::identity::Permission;
use crate::domain::ids::{ApiTokenId, UserId};
use crate::domain::{identity::api_tokens, identity::login, identity::users};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::Role;
use crate::graphql::error::{DomainResultExt, GqlResult, coded, internal};
use crate::graphql::guard::Require;
use crate::graphql::ids::{parse, to_id};
use crate::graphql::loaders::UserById;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::scalars::DateTime;

fn roles(column: &str) -> Vec<Role> {
    roles_from_column(column)
        .into_iter()
        .map(Into::into)
        .collect()
}

/// A person who signs in.
pub struct User(pub app_user::Model);

#[Object]
impl User {
    pub async fn id(&self) -> ID {
        to_id(UserId(self.0.id))
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn roles(&self) -> Vec<Role> {
        roles(&self.0.roles)
    }
    /// Deactivated users cannot sign in; their sessions end at once.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// Signs in through the external identity provider.
    async fn sso(&self) -> bool {
        self.0.external_subject.is_some()
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}

/// A credential for a third-party tool. The secret is shown only when created.
pub struct ApiToken(pub api_token::Model);

#[Object]
impl ApiToken {
    pub async fn id(&self) -> ID {
        to_id(ApiTokenId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The first characters of the secret, to recognise it.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }
    async fn roles(&self) -> Vec<Role> {
        roles(&self.0.roles)
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    async fn created_by(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        let Some(user) = self.0.created_by else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(UserById(user))
            .await
            .map_err(internal)?
            .map(User))
    }
    async fn expires_at(&self) -> Option<DateTime> {
        self.0.expires_at.map(Into::into)
    }
    /// Updated at most once a minute.
    async fn last_used_at(&self) -> Option<DateTime> {
        self.0.last_used_at.map(Into::into)
    }
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(Into::into)
    }
    /// Neither revoked nor expired.
    async fn active(&self, ctx: &Context<'_>) -> bool {
        crate::domain::identity::api_tokens::usable(&self.0, ctx.store().now())
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PrincipalKind {
    User,
    ApiToken,
}

/// Who is calling.
pub struct Me {
    kind: PrincipalKind,
    name: String,
    roles: Vec<Role>,
    user: Option<app_user::Model>,
    token: Option<api_token::Model>,
}

#[Object]
impl Me {
    async fn kind(&self) -> PrincipalKind {
        self.kind
    }
    async fn name(&self) -> &str {
        &self.name
    }
    /// Effective roles of this request.
    async fn roles(&self) -> &[Role] {
        &self.roles
    }
    async fn user(&self) -> Option<User> {
        self.user.clone().map(User)
    }
    async fn api_token(&self) -> Option<ApiToken> {
        self.token.clone().map(ApiToken)
    }
    /// Everything the caller's roles allow (for showing only what can be used).
    async fn permissions(&self) -> Vec<crate::graphql::enums::Permission> {
        use async_graphql::resolver_utils::EnumType;
        let roles: Vec<entity::Role> = self.roles.iter().map(|r| (*r).into()).collect();
        crate::graphql::enums::Permission::items()
            .iter()
            .map(|item| item.value)
            .filter(|p| crate::domain::identity::Permission::from(*p).allows(&roles))
            .collect()
    }
}

#[derive(InputObject, Default)]
pub struct UserFilter {
    /// Case-insensitive match on email or display name.
    search: Option<String>,
    role: Option<Role>,
    active: Option<bool>,
}

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The caller: a user or an API token, with the roles in effect.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<Me> {
        let viewer = ctx.viewer();
        let roles: Vec<Role> = viewer.roles.iter().map(|r| (*r).into()).collect();
        Ok(match &viewer.principal {
            Principal::User(user) => Me {
                kind: PrincipalKind::User,
                name: user.display_name.clone(),
                roles,
                user: Some(user.clone()),
                token: None,
            },
            Principal::ApiToken(token) => Me {
                kind: PrincipalKind::ApiToken,
                name: token.name.clone(),
                roles,
                user: None,
                token: Some(token.clone()),
            },
            Principal::Anonymous => return Err(coded("sign in first", "UNAUTHENTICATED")),
        })
    }

    /// Users, by email.
    #[graphql(
        guard = "Require(Permission::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn users(
        &self,
        ctx: &Context<'_>,
        filter: Option<UserFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<User>> {
        let filter = filter.unwrap_or_default();
        let domain_filter = users::UserFilter {
            search: filter.search,
            role: filter.role.map(Into::into),
            active: filter.active,
        };
        let page = users::list(
            ctx.store().conn(),
            &domain_filter,
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, User))
    }

    #[graphql(guard = "Require(Permission::Read)")]
    async fn user(&self, ctx: &Context<'_>, id: ID) -> GqlResult<User> {
        let id = parse::<UserId>("id", &id)?;
        users::get(ctx.store().conn(), id).await.gql().map(User)
    }

    /// API tokens, newest first; revoked and expired ones only when asked for.
    #[graphql(guard = "Require(Permission::ManageApiTokens)")]
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_inactive: bool,
    ) -> GqlResult<Vec<ApiToken>> {
        Ok(api_tokens::list(ctx.store(), include_inactive)
            .await
            .gql()?
            .into_iter()
            .map(ApiToken)
            .collect())
    }
}

#[derive(InputObject)]
pub struct LoginInput {
    email: String,
    password: String,
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    expires_at: DateTime,
    user: User,
}

#[derive(SimpleObject)]
pub struct LogoutPayload {
    signed_out: bool,
}

#[derive(InputObject)]
pub struct ChangeMyPasswordInput {
    current_password: String,
    new_password: String,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    email: String,
    display_name: String,
    /// Omit for users who only sign in through SSO.
    password: Option<String>,
    roles: Vec<Role>,
}

#[derive(InputObject)]
pub struct UpdateUserInput {
    id: ID,
    display_name: Option<String>,
    /// The complete set of roles; takes effect on the user's next request.
    roles: Option<Vec<Role>>,
    /// false deactivates: the user's sessions end at once.
    active: Option<bool>,
}

#[derive(InputObject)]
pub struct SetUserPasswordInput {
    id: ID,
    password: String,
}

#[derive(SimpleObject)]
pub struct UserPayload {
    user: User,
}

#[derive(InputObject)]
pub struct CreateApiTokenInput {
    name: String,
    roles: Vec<Role>,
    /// At most two years ahead.
    expires_at: DateTime,
}

#[derive(SimpleObject)]
pub struct CreateApiTokenPayload {
    api_token: ApiToken,
    /// The secret, shown this once: send it as `Authorization: Bearer <secret>`.
    secret: String,
}

#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    id: ID,
}

#[derive(SimpleObject)]
pub struct ApiTokenPayload {
    api_token: ApiToken,
}

#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Signs in with email and password. Open to anonymous callers.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> GqlResult<LoginPayload> {
        let app = ctx.app();
        let request = ctx.request();
        let user = login::login(
            &app.store,
            &app.settings.limits,
            &input.email,
            input.password,
            &request.client_address,
            Some(request.request_id.clone()),
        )
        .await
        .gql()?;
        issue_session(ctx, user)
    }

    /// A fresh token for the caller's session, with the user's current roles: a screen left
    /// signed in (a wall display through a go-live weekend) renews before its token expires.
    /// The old token stays valid until its own expiry; a password change still ends both.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn renew_session(&self, ctx: &Context<'_>) -> GqlResult<LoginPayload> {
        let viewer = ctx.viewer();
        let (Principal::User(user), Some(_)) = (&viewer.principal, &viewer.session) else {
            return Err(crate::graphql::error::validation(
                "token",
                "token: only a session from `login` can be renewed (API tokens and single sign-on tokens are renewed where they are issued)",
            ));
        };
        let user = user.clone();
        login::renew(ctx.store(), &ctx.actor()).await.gql()?;
        issue_session(ctx, user)
    }

    /// Ends the session of the token used for this request.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn logout(&self, ctx: &Context<'_>) -> GqlResult<LogoutPayload> {
        let Some((jti, expires)) = ctx.viewer().session.clone() else {
            return Err(crate::graphql::error::validation(
                "token",
                "token: only a signed-in user's session can be signed out",
            ));
        };
        login::logout(ctx.store(), &ctx.actor(), &jti, expires)
            .await
            .gql()?;
        Ok(LogoutPayload { signed_out: true })
    }

    /// Changes the caller's own password; other sessions end.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn change_my_password(
        &self,
        ctx: &Context<'_>,
        input: ChangeMyPasswordInput,
    ) -> GqlResult<UserPayload> {
        let model = users::change_own_password(
            ctx.store(),
            &ctx.actor(),
            input.current_password,
            input.new_password,
        )
        .await
        .gql()?;
        Ok(UserPayload { user: User(model) })
    }

    #[graphql(guard = "Require(Permission::ManageUsers)")]
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> GqlResult<UserPayload> {
        let model = users::create(
            ctx.store(),
            &ctx.actor(),
            users::NewUser {
                email: input.email,
                display_name: input.display_name,
                password: input.password,
                roles: input.roles.into_iter().map(Into::into).collect(),
            },
        )
        .await
        .gql()?;
        Ok(UserPayload { user: User(model) })
    }

    #[graphql(guard = "Require(Permission::ManageUsers)")]
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserInput,
    ) -> GqlResult<UserPayload> {
        let id = parse::<UserId>("id", &input.id)?;
        let patch = users::UserPatch {
            display_name: input.display_name,
            roles: input.roles.map(|r| r.into_iter().map(Into::into).collect()),
            active: input.active,
        };
        let model = users::update(ctx.store(), &ctx.actor(), id, patch)
            .await
            .gql()?;
        Ok(UserPayload { user: User(model) })
    }

    /// Sets a user's password (ending their sessions).
    #[graphql(guard = "Require(Permission::ManageUsers)")]
    async fn set_user_password(
        &self,
        ctx: &Context<'_>,
        input: SetUserPasswordInput,
    ) -> GqlResult<UserPayload> {
        let id = parse::<UserId>("id", &input.id)?;
        let model = users::set_password(ctx.store(), &ctx.actor(), id, input.password)
            .await
            .gql()?;
        Ok(UserPayload { user: User(model) })
    }

    /// Creates an API token for a third-party tool; the secret is in the answer, once.
    #[graphql(guard = "Require(Permission::ManageApiTokens)")]
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> GqlResult<CreateApiTokenPayload> {
        let (model, secret) = api_tokens::create(
            ctx.store(),
            &ctx.actor(),
            api_tokens::NewApiToken {
                name: input.name,
                roles: input.roles.into_iter().map(Into::into).collect(),
                expires_at: input.expires_at.0,
            },
        )
        .await
        .gql()?;
        Ok(CreateApiTokenPayload {
            api_token: ApiToken(model),
            secret,
        })
    }

    /// Revokes an API token with immediate effect.
    #[graphql(guard = "Require(Permission::ManageApiTokens)")]
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiTokenInput,
    ) -> GqlResult<ApiTokenPayload> {
        let id = parse::<ApiTokenId>("id", &input.id)?;
        let model = api_tokens::revoke(ctx.store(), &ctx.actor(), id)
            .await
            .gql()?;
        Ok(ApiTokenPayload {
            api_token: ApiToken(model),
        })
    }
}

/// Signs a session token for `user` with their current roles.
fn issue_session(ctx: &Context<'_>, user: app_user::Model) -> GqlResult<LoginPayload> {
    let roles = roles_from_column(&user.roles)
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    let (token, claims) = ctx
        .app()
        .authenticator
        .jwt
        .issue(
            UserId(user.id).to_string(),
            roles,
            user.security_stamp.clone(),
        )
        .map_err(internal)?;
    let expires_at = chrono::DateTime::from_timestamp(claims.exp, 0).unwrap_or_default();
    Ok(LoginPayload {
        token,
        expires_at: expires_at.into(),
        user: User(user),
    })
}
