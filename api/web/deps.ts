import type { FormDraftStore } from '../../db/form-drafts';
import type { SessionStore } from '../../db/sessions';
import type { SignInTokenStore } from '../../db/sign-in-tokens';
import type { UserStore } from '../../db/users';
import type { CookieSettings } from '../sessions';
import type { CallApi } from './api-bridge';
import type { SignInLimitSettings } from './sign-in-limits';
import type { EnqueueNotice } from './sign-in-mail';

/** What the console's pages need: the people stores, the API to act through, and its settings. */
export interface ConsoleDeps {
  users: UserStore;
  sessions: SessionStore;
  signInTokens: SignInTokenStore;
  notices: EnqueueNotice;
  /** What a form's step keeps for the page its redirect leads to (the portal's choice of contract). */
  drafts: FormDraftStore;
  callApi: CallApi;
  now: () => number;
  cookie: CookieSettings;
  /** Where the console is reached from outside (links in mails): configured, never the request's Host, which a caller chooses. */
  publicUrl: string;
  limits: SignInLimitSettings;
}
