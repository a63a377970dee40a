import type { Child } from 'hono/jsx';
import { CSRF_FIELD } from './session-tokens';
import { UI } from './paths';

/** A link of the main navigation: where, and its text. */
export type NavLink = readonly [string, string];

export interface PageFrame {
  title: string;
  /** Present when signed in: the navigation and the sign-out form. */
  csrf?: string;
  nav?: NavLink[];
  /** A sentence shown above the page, e.g. what the last action did. */
  notice?: string;
}

export function Layout(props: PageFrame & { children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Scheduled Imports`}</title>
        <link rel="stylesheet" href={`${UI}/assets/style.css`} />
        <script src={`${UI}/assets/app.js`} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <p class="brand">Scheduled Imports</p>
          {props.csrf && (
            <nav aria-label="Main">
              <ul>
                {(props.nav ?? []).map(([href, text]) => (
                  <li><a href={href}>{text}</a></li>
                ))}
              </ul>
              <form method="post" action={`${UI}/sign-out`}>
                <CsrfField token={props.csrf} />
                <button type="submit" class="link">Sign out</button>
              </form>
            </nav>
          )}
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.notice && <p class="notice" role="status">{props.notice}</p>}
          {props.children}
        </main>
      </body>
    </html>
  );
}

export const CsrfField = (props: { token: string }) => <input type="hidden" name={CSRF_FIELD} value={props.token} />;
