// Which route and route type a request gets: Gateway API precedence between HTTPRoutes and the
// path suffixes of DESIGN.md §5, as a client pointed at the gateway would see them picked.
#include "config/ManifestParser.h"
#include "gateway/RouteType.h"
#include "gateway/Router.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using gateway::Router;
using gateway::RouteType;

namespace {

// One HTTPRoute `name` (namespace `ns`) with one rule: `matchesYaml` is the rule's `matches:` list
// (indented for it), the backend is named after the route.
QString routeYaml(const QString &name, const QString &matchesYaml,
                  const QString &ns = u"agentgateway-system"_s)
{
    return u"---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: %1\n"
           "  namespace: %3\nspec:\n  parentRefs:\n  - name: agentgateway\n  rules:\n  - matches:\n%2"
           "    backendRefs:\n    - name: %1\n"_s.arg(name, matchesYaml, ns);
}

QString prefix(const QString &value)
{
    return u"    - path:\n        type: PathPrefix\n        value: %1\n"_s.arg(value);
}

QString exact(const QString &value)
{
    return u"    - path:\n        type: Exact\n        value: %1\n"_s.arg(value);
}

config::ResourceSet routes(const QString &yaml)
{
    config::ResourceSet set;
    const auto parsed = config::parseManifests(yaml.toUtf8());
    if (!parsed.ok()) {
        qWarning("%s", qPrintable(parsed.error()));
        return set;
    }
    for (const auto &resource : parsed.value()) {
        if (const auto *route = resource.as<config::HttpRoute>())
            set.routes.append(*route);
    }
    return set;
}

http::HttpRequest request(const QByteArray &method, const QByteArray &path,
                          const http::HttpHeaders &headers = {})
{
    http::HttpRequest r;
    r.method = method;
    r.target = path;
    r.path = path;
    r.headers = headers;
    return r;
}

// The route ("name" without namespace) a request lands on, or "" for a 404.
QString routed(const config::ResourceSet &set, const http::HttpRequest &r)
{
    const auto match = Router::match(set, u"agentgateway"_s, r, [](int) { return 0; });
    return match ? match->routeName.section(u'/', 1) : QString();
}

} // namespace

class TestGatewayRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactPathBeatsAnyPrefix();
    void longerPrefixWins();
    void prefixMatchesWholeSegmentsOnly();
    void methodMatchBeatsNoMethod();
    void moreHeaderMatchesWin();
    void headerMatchMustHold();
    void tiesGoToTheRouteListedFirst();
    void tiesWithinARouteGoToTheFirstRule();
    void routeForAnotherGatewayIsIgnored();
    void suffixIsWhatThePrefixLeaves();
    void weightedBackendRefsFollowThePick();
    void routeTypeFromSuffix_data();
    void routeTypeFromSuffix();
};

// A client calling /bedrock/v1/models gets the Exact route even when a prefix route is longer.
void TestGatewayRouter::exactPathBeatsAnyPrefix()
{
    const auto set = routes(routeYaml(u"prefix"_s, prefix(u"/bedrock/v1/models"_s)) +
                            routeYaml(u"exact"_s, exact(u"/bedrock/v1/models"_s)));
    QCOMPARE(routed(set, request("GET", "/bedrock/v1/models")), u"exact"_s);
    QCOMPARE(routed(set, request("GET", "/bedrock/v1/models/x")), u"prefix"_s);
}

void TestGatewayRouter::longerPrefixWins()
{
    const auto set =
        routes(routeYaml(u"short"_s, prefix(u"/bedrock"_s)) +
               routeYaml(u"long"_s, prefix(u"/bedrock/claude"_s)) + routeYaml(u"root"_s, prefix(u"/"_s)));
    QCOMPARE(routed(set, request("POST", "/bedrock/claude/v1/messages")), u"long"_s);
    QCOMPARE(routed(set, request("POST", "/bedrock/v1/messages")), u"short"_s);
    QCOMPARE(routed(set, request("POST", "/other")), u"root"_s);
}

// "/bedrock" is a path segment: "/bedrockx" is not under it.
void TestGatewayRouter::prefixMatchesWholeSegmentsOnly()
{
    const auto set = routes(routeYaml(u"bedrock"_s, prefix(u"/bedrock"_s)));
    QCOMPARE(routed(set, request("POST", "/bedrock")), u"bedrock"_s);
    QCOMPARE(routed(set, request("POST", "/bedrock/")), u"bedrock"_s);
    QCOMPARE(routed(set, request("POST", "/bedrockx")), QString());
}

void TestGatewayRouter::methodMatchBeatsNoMethod()
{
    const auto set = routes(routeYaml(u"any"_s, prefix(u"/bedrock"_s)) +
                            routeYaml(u"gets"_s, prefix(u"/bedrock"_s) + u"      method: GET\n"_s));
    QCOMPARE(routed(set, request("GET", "/bedrock/v1/models")), u"gets"_s);
    QCOMPARE(routed(set, request("POST", "/bedrock/v1/models")), u"any"_s);
}

void TestGatewayRouter::moreHeaderMatchesWin()
{
    const QString one = u"      headers:\n      - name: x-team\n        value: red\n"_s;
    const QString two = one + u"      - name: x-tier\n        value: gold\n"_s;
    const auto set = routes(routeYaml(u"plain"_s, prefix(u"/bedrock"_s)) +
                            routeYaml(u"one"_s, prefix(u"/bedrock"_s) + one) +
                            routeYaml(u"two"_s, prefix(u"/bedrock"_s) + two));
    QCOMPARE(routed(set, request("POST", "/bedrock", {{"X-Team", "red"}, {"x-tier", "gold"}})), u"two"_s);
    QCOMPARE(routed(set, request("POST", "/bedrock", {{"x-team", "red"}})), u"one"_s);
    QCOMPARE(routed(set, request("POST", "/bedrock")), u"plain"_s);
}

// A header match that does not hold sends the request elsewhere (or to a 404), never to its route.
void TestGatewayRouter::headerMatchMustHold()
{
    const auto set = routes(routeYaml(
        u"red"_s, prefix(u"/bedrock"_s) + u"      headers:\n      - name: x-team\n        value: red\n"_s));
    QCOMPARE(routed(set, request("POST", "/bedrock", {{"x-team", "blue"}})), QString());
    QCOMPARE(routed(set, request("POST", "/bedrock")), QString());
    QCOMPARE(routed(set, request("POST", "/bedrock", {{"x-team", "red"}})), u"red"_s);
}

// Equal matches: the oldest route wins (Quarry has no creation time; the file's order stands for it).
void TestGatewayRouter::tiesGoToTheRouteListedFirst()
{
    const auto set =
        routes(routeYaml(u"zeta"_s, prefix(u"/bedrock"_s)) + routeYaml(u"alpha"_s, prefix(u"/bedrock"_s)));
    QCOMPARE(routed(set, request("POST", "/bedrock")), u"zeta"_s);
}

// Two equal rules of one route: the rule listed first wins (Gateway API: "the first matching rule").
void TestGatewayRouter::tiesWithinARouteGoToTheFirstRule()
{
    const QString twoRules = u"---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n"
                             "  name: split\nspec:\n  rules:\n  - matches:\n" +
                             prefix(u"/bedrock"_s) +
                             u"    backendRefs:\n    - name: first\n  - matches:\n"_s +
                             prefix(u"/bedrock"_s) + u"    backendRefs:\n    - name: second\n"_s;
    const auto set = routes(twoRules);
    const auto match =
        Router::match(set, u"agentgateway"_s, request("POST", "/bedrock"), [](int) { return 0; });
    QVERIFY(match);
    QCOMPARE(match->backendName, u"agentgateway-system/first"_s);
}

void TestGatewayRouter::routeForAnotherGatewayIsIgnored()
{
    QString yaml = routeYaml(u"elsewhere"_s, prefix(u"/bedrock"_s));
    yaml.replace(u"- name: agentgateway\n"_s, u"- name: other-gateway\n"_s);
    QCOMPARE(routed(routes(yaml), request("POST", "/bedrock")), QString());
}

void TestGatewayRouter::suffixIsWhatThePrefixLeaves()
{
    const auto set = routes(routeYaml(u"bedrock"_s, prefix(u"/bedrock/"_s)));
    const auto match =
        Router::match(set, u"agentgateway"_s, request("POST", "/bedrock/model/a%3Ab/converse"));
    QVERIFY(match);
    QCOMPARE(match->matchedPrefix, "/bedrock");
    QCOMPARE(match->suffix, "/model/a%3Ab/converse");
    QCOMPARE(match->backendName, u"agentgateway-system/bedrock"_s);
}

// backendRefs weights 1:3 split the draw [0, 4): 0 goes to the first, 1..3 to the second.
void TestGatewayRouter::weightedBackendRefsFollowThePick()
{
    const QString yaml =
        u"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: split\n"
        "  namespace: team\nspec:\n  rules:\n  - matches:\n"_s +
        prefix(u"/bedrock"_s) +
        u"    backendRefs:\n    - name: light\n      weight: 1\n    - name: heavy\n"
        "      namespace: shared\n      weight: 3\n"_s;
    const auto set = routes(yaml);
    int total = 0;
    const auto pickAt = [&total](int ticket) {
        return [&total, ticket](int t) {
            total = t;
            return ticket;
        };
    };
    QCOMPARE(Router::match(set, u"agentgateway"_s, request("POST", "/bedrock"), pickAt(0))->backendName,
             u"team/light"_s);
    QCOMPARE(total, 4);
    QCOMPARE(Router::match(set, u"agentgateway"_s, request("POST", "/bedrock"), pickAt(1))->backendName,
             u"shared/heavy"_s);
    QCOMPARE(Router::match(set, u"agentgateway"_s, request("POST", "/bedrock"), pickAt(3))->backendName,
             u"shared/heavy"_s);
}

void TestGatewayRouter::routeTypeFromSuffix_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("suffix");
    QTest::addColumn<QString>("type");
    QTest::newRow("bare prefix") << QByteArray("POST") << QByteArray("") << u"Completions"_s;
    QTest::newRow("bare prefix, slash") << QByteArray("POST") << QByteArray("/") << u"Completions"_s;
    QTest::newRow("v1 chat") << QByteArray("POST") << QByteArray("/v1/chat/completions") << u"Completions"_s;
    QTest::newRow("chat") << QByteArray("POST") << QByteArray("/chat/completions") << u"Completions"_s;
    QTest::newRow("messages") << QByteArray("POST") << QByteArray("/v1/messages") << u"Messages"_s;
    QTest::newRow("count tokens") << QByteArray("POST") << QByteArray("/v1/messages/count_tokens")
                                  << u"AnthropicTokenCount"_s;
    QTest::newRow("v1 models") << QByteArray("GET") << QByteArray("/v1/models") << u"Models"_s;
    QTest::newRow("models") << QByteArray("GET") << QByteArray("/models") << u"Models"_s;
    QTest::newRow("models by POST") << QByteArray("POST") << QByteArray("/v1/models") << u"Unknown"_s;
    QTest::newRow("embeddings") << QByteArray("POST") << QByteArray("/v1/embeddings") << u"Embeddings"_s;
    QTest::newRow("responses") << QByteArray("POST") << QByteArray("/v1/responses") << u"Responses"_s;
    for (const char *operation :
         {"converse", "converse-stream", "invoke", "invoke-with-response-stream", "count-tokens"}) {
        QTest::newRow(operation) << QByteArray("POST")
                                 << QByteArray("/model/anthropic.claude-3-haiku-20240307-v1%3A0/") + operation
                                 << u"Passthrough"_s;
    }
    QTest::newRow("passthrough, unknown operation")
        << QByteArray("POST") << QByteArray("/model/m/delete") << u"Unknown"_s;
    QTest::newRow("passthrough, no model")
        << QByteArray("POST") << QByteArray("/model//converse") << u"Unknown"_s;
    QTest::newRow("foundation models")
        << QByteArray("GET") << QByteArray("/foundation-models") << u"ControlPlane"_s;
    QTest::newRow("one foundation model")
        << QByteArray("GET") << QByteArray("/foundation-models/amazon.nova-lite-v1%3A0") << u"ControlPlane"_s;
    QTest::newRow("inference profiles")
        << QByteArray("GET") << QByteArray("/inference-profiles/") << u"ControlPlane"_s;
    // Any method: the exchange refuses what is not a read, in Bedrock's shape.
    QTest::newRow("profile delete") << QByteArray("DELETE") << QByteArray("/inference-profiles/p")
                                    << u"ControlPlane"_s;
    QTest::newRow("below a profile") << QByteArray("GET") << QByteArray("/inference-profiles/p/tags")
                                     << u"Unknown"_s;
    QTest::newRow("other control plane") << QByteArray("GET") << QByteArray("/guardrails") << u"Unknown"_s;
    QTest::newRow("unknown") << QByteArray("POST") << QByteArray("/v1/completions") << u"Unknown"_s;
}

void TestGatewayRouter::routeTypeFromSuffix()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, suffix);
    QFETCH(QString, type);
    QCOMPARE(gateway::routeTypeName(gateway::routeTypeForSuffix(method, suffix)), type);
}

QTEST_GUILESS_MAIN(TestGatewayRouter)
#include "tst_gateway_router.moc"
