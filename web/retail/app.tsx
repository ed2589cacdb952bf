// The app: a router of lazily loaded screens (one chunk each); signed-out users see the login.
import type { ComponentType } from "preact";
import { ErrorBoundary, LocationProvider, lazy, Route, Router } from "preact-iso";
import { useStore } from "../shared/store";
import { Layout, Welcome } from "./components/layout";
import { Problem } from "./components/ui";
// the first screens ship with the app (login for a new phone, the catalog for a shop): no second
// round trip before the first useful screen; the others load when opened
import Catalog from "./pages/catalog";
import Login from "./pages/login";
import { credentials, i18n, isDriver, isOwner, me, useT } from "./state";

// a screen's chunk that cannot load (offline before the service worker has kept it) says so
const screen = (load: () => Promise<{ default: ComponentType }>) =>
  lazy(() => load().catch(() => ({ default: Unavailable })));

const Forgot = screen(() => import("./pages/forgot"));
const Register = screen(() => import("./pages/register"));
const Documents = screen(() => import("./pages/documents"));
const Cart = screen(() => import("./pages/cart"));
const Orders = screen(() => import("./pages/orders"));
const OrderPage = screen(() => import("./pages/order"));
const Account = screen(() => import("./pages/account"));
const Team = screen(() => import("./pages/team"));
const Deliveries = screen(() => import("./pages/deliveries"));
const Delivery = screen(() => import("./pages/delivery"));

/** In place of a screen whose code is not on the phone yet: the way back is the network (a
 * reload, which asks for it again). */
function Unavailable() {
  const t = useT();
  const problem = <Problem message={t("screen_needs_network")} onRetry={() => location.reload()} />;
  return credentials.get() ? <Layout title={t("app_name")}>{problem}</Layout> : <Welcome>{problem}</Welcome>;
}

function Routes() {
  const { lang } = useStore(i18n);
  const signedIn = useStore(credentials) !== null;
  const profile = useStore(me);
  // one Router per kind of user: a sign-in mounts a new one (preact-iso keeps a Router's current
  // screen while its URL is unchanged). Signed in, it is keyed by the language too: a switch
  // reloads each screen's data in the new language. Signed out, the screens hold only what the
  // user is typing and words that follow the language: a switch keeps the fields.
  if (!signedIn) {
    return (
      <Router key="out">
        <Route path="/forgot" component={Forgot} />
        <Route path="/register/documents" component={Documents} />
        <Route path="/register" component={Register} />
        <Route default component={Login} />
      </Router>
    );
  }
  if (isDriver(profile)) {
    return (
      <Router key={`driver-${lang}`}>
        <Route path="/deliveries/:id" component={Delivery} />
        <Route path="/account" component={Account} />
        <Route default component={Deliveries} />
      </Router>
    );
  }
  return (
    <Router key={`shop-${lang}`}>
      <Route path="/cart" component={Cart} />
      <Route path="/orders/:id" component={OrderPage} />
      <Route path="/orders" component={Orders} />
      <Route path="/account" component={Account} />
      <Route path="/team" component={isOwner(profile) ? Team : Catalog} />
      <Route default component={Catalog} />
    </Router>
  );
}

export function App() {
  return (
    <LocationProvider>
      <ErrorBoundary onError={(error) => console.error(error)}>
        <Routes />
      </ErrorBoundary>
    </LocationProvider>
  );
}
