/**
 * Generated from the service's OpenAPI document by `npm run client:generate` (openapi-typescript).
 * Do not edit: client/test/openapi-types.spec.ts fails when this file and the document disagree.
 */

export interface paths {
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in with username or email; sets the refresh_token cookie
         * @description Starts a session and answers a token pair. The refresh token also comes as an HttpOnly cookie scoped to `/auth`, which browsers use; clients without cookies keep `refreshToken` from the body.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reissue: exchange a refresh token for a new pair (the refresh token rotates)
         * @description The refresh token comes from the JSON body's `refreshToken`, else the HttpOnly `refresh_token` cookie, else `Authorization: Bearer`: the first one present wins. An empty body, `{}` or no body at all means "use the cookie". An expired access token may accompany the cookie or body in `Authorization`; it must belong to the same session. Each refresh token works once: present it twice (outside a short grace window) and the session ends with `refresh_token_reused`.
         */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log out: revoke the refresh token's session and clear the cookie (idempotent)
         * @description The refresh token comes from the JSON body's `refreshToken`, else the HttpOnly `refresh_token` cookie, else `Authorization: Bearer`: the first one present wins. An empty body, `{}` or no body at all means "use the cookie". The session's access tokens stop working at once.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The verified access token's claims (no database read)
         * @description Cheap way to check a token: the claims as signed, once the signature, expiry and session are verified.
         */
        get: operations["whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's active sessions (devices), the current one marked
         * @description One entry per login that has not ended, most recently used first.
         */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End one of your sessions; its access and refresh tokens stop working at once
         * @description Another user's session id answers 404, like an unknown one.
         */
        delete: operations["endSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End all your sessions, or all but this one (`scope: "others"`)
         * @description Without a body (or with `scope: "all"`) the calling session ends too and the refresh cookie is cleared.
         */
        post: operations["logoutAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an access or refresh token: ends the token's session (RFC 7009)
         * @description Answers 200 with an empty body whether or not the token was known, live, expired or already revoked.
         */
        post: operations["revokeToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Introspect a token, for resource servers (RFC 7662)
         * @description A live token answers with its claims; anything else (expired, revoked, spent, foreign, garbage) is exactly `{ "active": false }`.
         */
        post: operations["introspectToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/oauth-authorization-server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Authorization server metadata (RFC 8414)
         * @description Where the issuer publishes its keys, revocation and introspection endpoints, and which algorithms it signs with.
         */
        get: operations["authorizationServerMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Public keys that verify our access tokens (RFC 7517)
         * @description Empty with ACCESS_TOKEN_ALG=HS256: an HMAC secret is never published.
         */
        get: operations["jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account
         * @description The email and username must be unused. Unless EMAIL_VERIFICATION=off, a verification link goes to the address. Signing up does not log in: call login next.
         */
        post: operations["signup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify your email address with the token of the link we mailed
         * @description Access tokens carry `email_verified: true` from their next issue on.
         */
        post: operations["verify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email/verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send yourself a new verification link
         * @description Nothing is sent once the address is verified.
         */
        post: operations["resend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email/verification/request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a new verification link by address (no login needed)
         * @description The answer is the same whether or not an account uses the address; only an unverified account gets a link.
         */
        post: operations["resendToAddress"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Forgot your password: a reset link goes to the address
         * @description The answer is the same, and takes as long, whether or not an account uses the address.
         */
        post: operations["forgot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password with the token of the reset link
         * @description Every session of the account ends at once; the address counts as verified; a notice goes to it.
         */
        post: operations["reset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email/change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm a new email address with the token of the link mailed to it
         * @description A notice goes to the old address.
         */
        post: operations["confirmEmailChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's profile, read from the database
         * @description Unlike whoami, this reads the user row: it shows changes made since the access token was issued.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        /**
         * Delete your account and all its sessions
         * @description Needs the password; clears the refresh cookie.
         */
        delete: operations["deleteMe"];
        options?: never;
        head?: never;
        /**
         * Change your name or username
         * @description Give `name`, `username` or both. The access token carries the new values from its next issue (login or reissue).
         */
        patch: operations["updateProfile"];
        trace?: never;
    };
    "/users/me/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change your email address: a confirmation link goes to the new one
         * @description The address changes when the link is used (`POST /auth/email/change`). The answer is the same whether or not another account uses it.
         */
        post: operations["requestEmailChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/security-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your recent account activity (logins, sessions ended, changes), newest first
         * @description Keyset pagination: pass `nextCursor` back as `cursor`.
         */
        get: operations["listMySecurityEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change your password; every other session ends, this one stays
         * @description Needs the current password as well as the access token.
         */
        patch: operations["changePassword"];
        trace?: never;
    };
    "/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * All users, oldest first, one page at a time
         * @description `total` counts every user, so a client can compute the number of pages.
         */
        get: operations["listUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/security-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The security event trail, newest first, filtered by user, type and time
         * @description Keyset pagination: pass `nextCursor` back as `cursor`.
         */
        get: operations["listSecurityEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a user's roles or disable them
         * @description Give `roles`, `disabled` or both. Disabling ends every session of the user at once. New roles reach the user with their next access token (login or reissue). An administrator cannot remove their own admin role or disable themselves (`400 validation_failed`).
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/admin/users/{id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End every session of a user: their access and refresh tokens stop working at once
         * @description The user can log in again; to keep them out, disable them with updateUser.
         */
        delete: operations["endUserSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process answers (no I/O)
         * @description For a container orchestrator: restart the instance when this stops answering.
         */
        get: operations["liveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: the database answers a ping and the instance is not shutting down
         * @description For a load balancer: send traffic only while this answers 200.
         */
        get: operations["readiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        LoginDto: {
            /**
             * @description Username or email address
             * @example ada
             */
            login: string;
            /** @example correct horse battery staple */
            password: string;
        };
        TokenPairView: {
            /**
             * @example Bearer
             * @enum {string}
             */
            tokenType: "Bearer";
            /**
             * @description JWT for `Authorization: Bearer …`
             * @example eyJhbGciOiJIUzI1NiIsImtpZCI6ImFjY2Vzcy0xIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl
             */
            accessToken: string;
            /**
             * @description Seconds until the access token expires
             * @example 900
             */
            expiresIn: number;
            /**
             * @description Opaque to the client; also set as the HttpOnly `refresh_token` cookie
             * @example eyJhbGciOiJIUzI1NiIsImtpZCI6InJlZnJlc2gtMSIsInR5cCI6InJ0K2p3dCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl
             */
            refreshToken: string;
            /**
             * @description Seconds until the refresh token expires
             * @example 1209600
             */
            refreshExpiresIn: number;
        };
        ErrorBody: {
            /** @example 400 */
            statusCode: number;
            /**
             * @description HTTP reason phrase
             * @example Bad Request
             */
            error: string;
            /**
             * @description Stable machine-readable code
             * @example validation_failed
             * @enum {string}
             */
            code: "bad_request" | "validation_failed" | "invalid_json" | "link_invalid" | "unauthorized" | "invalid_credentials" | "invalid_client" | "missing_token" | "invalid_token" | "token_expired" | "token_mismatch" | "premature_refresh" | "missing_refresh_token" | "refresh_token_expired" | "refresh_token_revoked" | "session_expired" | "token_revoked" | "refresh_token_reused" | "forbidden" | "email_not_verified" | "not_found" | "method_not_allowed" | "user_exists" | "request_timeout" | "payload_too_large" | "unsupported_media_type" | "rate_limited" | "login_blocked" | "headers_too_large" | "internal_error" | "service_unavailable" | "busy" | "database_unavailable" | "shutting_down";
            /** @example Request validation failed */
            message: string;
            /**
             * @description For `validation_failed`: one entry per invalid field; for a failing readiness check: each check's status
             * @example [
             *       {
             *         "field": "email",
             *         "messages": [
             *           "email must be an email"
             *         ]
             *       }
             *     ]
             */
            details?: {
                field?: string;
                messages?: string[];
            }[] | {
                [key: string]: {
                    status?: string;
                };
            };
        };
        RefreshTokenDto: {
            /**
             * @description The refresh token, for clients without cookies. When present it wins over the `refresh_token` cookie, which wins over `Authorization: Bearer`; leave the body out (or send `{}`) to use the cookie.
             * @example eyJhbGciOiJIUzI1NiIsImtpZCI6InJlZnJlc2gtMSIsInR5cCI6InJ0K2p3dCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl
             */
            refreshToken?: string;
        };
        AccessTokenClaimsView: {
            /**
             * @description Issuer
             * @example http://localhost:3000
             */
            iss: string;
            /**
             * @description Audience
             * @example nest-token-auth
             */
            aud: string;
            /**
             * Format: uuid
             * @description User id
             */
            sub: string;
            /**
             * Format: uuid
             * @description Session id: the same for every token of one login
             */
            sid: string;
            /**
             * Format: uuid
             * @description Token id, unique per token
             */
            jti: string;
            /**
             * @description Issued at, seconds since the epoch
             * @example 1767225600
             */
            iat: number;
            /**
             * @description Expiry, seconds since the epoch
             * @example 1767226500
             */
            exp: number;
            /**
             * @example [
             *       "user"
             *     ]
             */
            roles: string[];
            /** @example ada */
            username: string;
            /** @example Ada Lovelace */
            name: string;
            /**
             * @description Whether the user had proved their email address when the token was issued
             * @example true
             */
            email_verified: boolean;
        };
        SessionView: {
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description Last login or reissue
             */
            lastUsedAt: string;
            /** @example Mozilla/5.0 … */
            userAgent: string | null;
            /** @example 203.0.113.7 */
            ip: string | null;
            /** @description True for the session of the access token making this request */
            current: boolean;
        };
        LogoutAllDto: {
            /**
             * @description `others` keeps the calling session
             * @default all
             * @enum {string}
             */
            scope: "all" | "others";
        };
        TokenRequestDto: {
            /**
             * @description An access or refresh token issued by this service
             * @example eyJhbGciOiJIUzI1NiIs…
             */
            token: string;
            /**
             * @description Which kind `token` is. Only the search order depends on it: a wrong or unknown hint is ignored.
             * @enum {string}
             */
            token_type_hint?: "access_token" | "refresh_token";
            /** @description Accepted and ignored: public clients may send it (RFC 7009 §2.1), but there are no registered clients */
            client_id?: string;
        };
        IntrospectionView: {
            /** @description Whether the token is live right now; when false, no other field is present */
            active: boolean;
            /**
             * @description Roles joined by spaces (access tokens only)
             * @example user admin
             */
            scope?: string;
            /** @description Access tokens only */
            roles?: string[];
            /** @description Access tokens only */
            username?: string;
            /** @enum {string} */
            token_type?: "access_token" | "refresh_token";
            /** @description User id */
            sub?: string;
            /** @description Session id */
            sid?: string;
            /** @description Expiry, seconds since the epoch */
            exp?: number;
            /** @description Issue time, seconds since the epoch */
            iat?: number;
            iss?: string;
            aud?: string;
            jti?: string;
        };
        AuthorizationServerMetadataView: {
            /** @description PUBLIC_BASE_URL */
            issuer: string;
            revocation_endpoint: string;
            /**
             * @example [
             *       "none"
             *     ]
             */
            revocation_endpoint_auth_methods_supported: string[];
            introspection_endpoint: string;
            /**
             * @example [
             *       "client_secret_basic"
             *     ]
             */
            introspection_endpoint_auth_methods_supported: string[];
            /** @description Empty: there is no authorization endpoint (the field is REQUIRED by RFC 8414) */
            response_types_supported: string[];
            /** @description Public keys of access tokens; only when they are signed with an asymmetric algorithm */
            jwks_uri?: string;
            /**
             * @description Algorithms of the access-token keys in use (next, active, previous). An extension: RFC 8414 has no standard field for it
             * @example [
             *       "ES256"
             *     ]
             */
            access_token_signing_alg_values_supported: string[];
            /** @description Swagger UI, when enabled */
            service_documentation?: string;
        };
        PublicJwkView: {
            /** @enum {string} */
            kty: "EC" | "OKP" | "RSA";
            /**
             * @description EC and OKP keys
             * @example P-256
             */
            crv?: string;
            /** @description EC and OKP keys */
            x?: string;
            /** @description EC keys */
            y?: string;
            /** @description RSA keys */
            n?: string;
            /** @description RSA keys */
            e?: string;
            /** @description RFC 7638 thumbprint of the key; the `kid` header of tokens it verifies */
            kid: string;
            /** @enum {string} */
            alg: "ES256" | "EdDSA" | "RS256";
            /** @enum {string} */
            use: "sig";
        };
        JwksView: {
            /** @description Empty when access tokens are HS256 */
            keys: components["schemas"]["PublicJwkView"][];
        };
        SignupDto: {
            /**
             * @description Trimmed and lower-cased before it is stored
             * @example ada@example.com
             */
            email: string;
            /** @example ada */
            username: string;
            /** @example Ada Lovelace */
            name: string;
            /**
             * @description Used exactly as typed: never trimmed or truncated
             * @example correct horse battery staple
             */
            password: string;
        };
        UserView: {
            /** Format: uuid */
            id: string;
            /** @example ada@example.com */
            email: string;
            /** @example ada */
            username: string;
            /** @example Ada Lovelace */
            name: string;
            /**
             * @example [
             *       "user"
             *     ]
             */
            roles: string[];
            /** @description Whether the user proved they read mail at `email` (verification link, password reset or email change) */
            emailVerified: boolean;
            /** Format: date-time */
            createdAt: string;
        };
        LinkTokenDto: {
            /**
             * @description The token from the link in the mail
             * @example q3N0c2VjcmV0LW5vdC1hLXJlYWwtdG9rZW4tZXhhbXBsZQ
             */
            token: string;
        };
        EmailAddressDto: {
            /** @example ada@example.com */
            email: string;
        };
        ResetPasswordDto: {
            /**
             * @description The token from the link in the mail
             * @example q3N0c2VjcmV0LW5vdC1hLXJlYWwtdG9rZW4tZXhhbXBsZQ
             */
            token: string;
            /**
             * @description Used exactly as typed: never trimmed or truncated
             * @example correct horse battery staple
             */
            newPassword: string;
        };
        UpdateProfileDto: {
            /** @example ada */
            username?: string;
            /** @example Ada Lovelace */
            name?: string;
        };
        ChangeEmailDto: {
            /**
             * @description The new address; a confirmation link goes to it
             * @example ada@new.example.com
             */
            newEmail: string;
            /** @description The current password, to confirm */
            password: string;
        };
        SecurityEventView: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            type: "login_succeeded" | "login_failed" | "login_blocked" | "refresh_reuse_detected" | "session_ended" | "password_changed" | "account_deleted" | "user_disabled" | "user_enabled" | "roles_changed" | "access_key_rotated" | "email_verified" | "password_reset_requested" | "password_reset_completed" | "email_changed";
            /** Format: date-time */
            occurredAt: string;
            /** Format: uuid */
            sessionId: string | null;
            /**
             * @description `user`, `admin:<id>`, `system` or `cli`
             * @example user
             */
            actor: string;
            /** @example 203.0.113.7 */
            ip: string | null;
            userAgent: string | null;
            /**
             * @example {
             *       "reason": "logout"
             *     }
             */
            detail?: {
                [key: string]: unknown;
            } | null;
        };
        SecurityEventPageView: {
            items: components["schemas"]["SecurityEventView"][];
            /** @description Pass as `cursor` for the next, older page; absent on the last page */
            nextCursor?: string;
        };
        ChangePasswordDto: {
            currentPassword: string;
            /** @description Used exactly as typed: never trimmed or truncated */
            newPassword: string;
        };
        DeleteAccountDto: {
            /** @description The current password, to confirm */
            password: string;
        };
        AdminUserView: {
            /** Format: uuid */
            id: string;
            /** @example ada@example.com */
            email: string;
            /** @example ada */
            username: string;
            /** @example Ada Lovelace */
            name: string;
            /**
             * @example [
             *       "user"
             *     ]
             */
            roles: string[];
            /** @description Whether the user proved they read mail at `email` (verification link, password reset or email change) */
            emailVerified: boolean;
            /** Format: date-time */
            createdAt: string;
            disabled: boolean;
            /** Format: date-time */
            updatedAt: string;
        };
        AdminUserPageView: {
            items: components["schemas"]["AdminUserView"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            limit: number;
            /**
             * @description All users, on every page
             * @example 1
             */
            total: number;
        };
        AdminSecurityEventView: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            type: "login_succeeded" | "login_failed" | "login_blocked" | "refresh_reuse_detected" | "session_ended" | "password_changed" | "account_deleted" | "user_disabled" | "user_enabled" | "roles_changed" | "access_key_rotated" | "email_verified" | "password_reset_requested" | "password_reset_completed" | "email_changed";
            /** Format: date-time */
            occurredAt: string;
            /** Format: uuid */
            sessionId: string | null;
            /**
             * @description `user`, `admin:<id>`, `system` or `cli`
             * @example user
             */
            actor: string;
            /** @example 203.0.113.7 */
            ip: string | null;
            userAgent: string | null;
            /**
             * @example {
             *       "reason": "logout"
             *     }
             */
            detail?: {
                [key: string]: unknown;
            } | null;
            /** Format: uuid */
            userId: string | null;
        };
        AdminSecurityEventPageView: {
            items: components["schemas"]["AdminSecurityEventView"][];
            /** @description Pass as `cursor` for the next, older page; absent on the last page */
            nextCursor?: string;
        };
        UpdateUserDto: {
            /**
             * @example [
             *       "user",
             *       "admin"
             *     ]
             */
            roles?: string[];
            /** @description true ends every session of the user at once; login is refused until false again */
            disabled?: boolean;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description The refresh token as `refresh_token`: HttpOnly, SameSite=Strict, Path=/auth, Secure (unless COOKIE_SECURE=false) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPairView"];
                };
            };
            /**
             * @description code: `validation_failed`, `invalid_json`
             *
             *     code: `validation_failed`, `invalid_json`
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /**
             * @description code: `invalid_credentials`
             *
             *     code: `invalid_credentials`
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /**
             * @description code: `email_not_verified`
             *
             *     code: `email_not_verified`
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /**
             * @description code: `login_blocked`
             *
             *     code: `login_blocked`, `rate_limited`
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RefreshTokenDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description The refresh token as `refresh_token`: HttpOnly, SameSite=Strict, Path=/auth, Secure (unless COOKIE_SECURE=false) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPairView"];
                };
            };
            /**
             * @description code: `missing_refresh_token`, `invalid_token`, `refresh_token_expired`, `refresh_token_revoked`, `refresh_token_reused`, `session_expired`, `token_mismatch`, `premature_refresh`
             *
             *     code: `missing_refresh_token`, `invalid_token`, `refresh_token_expired`, `refresh_token_revoked`, `refresh_token_reused`, `session_expired`, `token_mismatch`, `premature_refresh`
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RefreshTokenDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    /** @description Clears the `refresh_token` cookie */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `missing_refresh_token`, `invalid_token`, `refresh_token_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessTokenClaimsView"];
                };
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"][];
                };
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    endSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logoutAll: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["LogoutAllDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequestDto"];
                "application/json": components["schemas"]["TokenRequestDto"];
            };
        };
        responses: {
            /** @description Empty body */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed`, `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    introspectToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequestDto"];
                "application/json": components["schemas"]["TokenRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntrospectionView"];
                };
            };
            /**
             * @description code: `validation_failed`, `invalid_json`
             *
             *     code: `validation_failed`, `invalid_json`
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `invalid_client` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /**
             * @description code: `payload_too_large`
             *
             *     code: `payload_too_large`
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /**
             * @description code: `unsupported_media_type`
             *
             *     code: `unsupported_media_type`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    authorizationServerMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthorizationServerMetadataView"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JwksView"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    signup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignupDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /**
             * @description code: `validation_failed`, `invalid_json`
             *
             *     code: `validation_failed`, `invalid_json`
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /**
             * @description code: `user_exists`
             *
             *     code: `user_exists`
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /**
             * @description code: `payload_too_large`
             *
             *     code: `payload_too_large`
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /**
             * @description code: `unsupported_media_type`
             *
             *     code: `unsupported_media_type`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    verify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LinkTokenDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed`, `link_invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    resend: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /**
             * @description code: `rate_limited`
             *
             *     code: `rate_limited`
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    resendToAddress: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailAddressDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    forgot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailAddressDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetPasswordDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed`, `link_invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    confirmEmailChange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LinkTokenDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed`, `link_invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `user_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeleteAccountDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateProfile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProfileDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description code: `validation_failed`, `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `user_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    requestEmailChange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangeEmailDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listMySecurityEvents: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecurityEventPageView"];
                };
            };
            /** @description code: `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                page?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminUserPageView"];
                };
            };
            /** @description code: `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listSecurityEvents: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
                limit?: number;
                userId?: string;
                type?: "login_succeeded" | "login_failed" | "login_blocked" | "refresh_reuse_detected" | "session_ended" | "password_changed" | "account_deleted" | "user_disabled" | "user_enabled" | "roles_changed" | "access_key_rotated" | "email_verified" | "password_reset_requested" | "password_reset_completed" | "email_changed";
                /** @description Events at or after this instant */
                from?: string;
                /** @description Events before this instant */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminSecurityEventPageView"];
                };
            };
            /** @description code: `validation_failed` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminUserView"];
                };
            };
            /** @description code: `validation_failed`, `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    endUserSessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description code: `missing_token`, `invalid_token`, `token_expired`, `token_revoked` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description code: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    liveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status?: "ok";
                    };
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    readiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status?: "ok";
                        info?: Record<string, never>;
                        error?: Record<string, never>;
                        details?: Record<string, never>;
                    };
                };
            };
            /** @description code: `service_unavailable`, `shutting_down` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
