// Tests for ReferenceCheck: a route to a backend that does not exist and a backend whose secret is
// not in the catalogue are reported, with the resource, the field and what it names; whole,
// consistent sets give nothing.
#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "config/ReferenceCheck.h"

#include <QJsonArray>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace {

const QString kNs = kDefaultNamespace;

ResourceSet parsed(const QByteArray &yaml)
{
    const auto result = parseManifests(yaml);
    if (!result.ok())
        qFatal("test manifest does not parse: %s", qPrintable(result.error()));
    ResourceSet set;
    for (const Resource &resource : *result) {
        if (const auto *route = resource.as<HttpRoute>())
            set.routes.append(*route);
        else if (const auto *backend = resource.as<AiBackend>())
            set.backends.append(*backend);
        else if (const auto *gateway = resource.as<Gateway>())
            set.gateways.append(*gateway);
    }
    return set;
}

const QByteArray kRouteToTwo = R"(apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: claude
spec:
  parentRefs:
  - name: agentgateway
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /claude
    backendRefs:
    - name: bedrock
      group: agentgateway.dev
      kind: AgentgatewayBackend
    - name: claude
      group: agentgateway.dev
      kind: AgentgatewayBackend
)"_ba;

const QByteArray kAwsBackendInOtherNs = R"(apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: team
  namespace: team-a
spec:
  ai:
    provider:
      bedrock:
        region: us-west-2
  policies:
    auth:
      aws:
        secretRef:
          name: aws-creds
)"_ba;

} // namespace

class TestConfigReferences : public QObject
{
    Q_OBJECT

private slots:
    void defaultsWithTheirSecretHaveNoWarnings()
    {
        const auto warnings = ReferenceCheck::check(ConfigStore::defaults(), {kNs + u"/bedrock-secret"_s});
        QVERIFY(warnings.isEmpty());
    }

    void defaultsWithoutTheSecretWarnAboutTheBackend()
    {
        const auto warnings = ReferenceCheck::check(ConfigStore::defaults(), {});
        QCOMPARE(warnings.size(), 1);
        const ReferenceWarning &warning = warnings.first();
        QCOMPARE(warning.kind, ResourceKind::Backend);
        QCOMPARE(warning.ns, kNs);
        QCOMPARE(warning.name, u"bedrock"_s);
        QCOMPARE(warning.problem, ReferenceWarning::Problem::MissingSecret);
        QCOMPARE(warning.target, kNs + u"/bedrock-secret"_s);
        QCOMPARE(warning.path, u"spec.policies.auth.secretRef.name"_s);
        QVERIFY2(warning.message.contains(u"bedrock-secret"_s) && warning.message.contains(u"not found"_s),
                 qPrintable(warning.message));
    }

    void routeToAMissingBackendIsNamed()
    {
        ResourceSet set = ConfigStore::defaults();
        set.routes += parsed(kRouteToTwo).routes;
        const auto warnings = ReferenceCheck::check(set, {kNs + u"/bedrock-secret"_s});
        QCOMPARE(warnings.size(), 1); // bedrock exists; claude does not
        const ReferenceWarning &warning = warnings.first();
        QCOMPARE(warning.kind, ResourceKind::HttpRoute);
        QCOMPARE(warning.name, u"claude"_s);
        QCOMPARE(warning.problem, ReferenceWarning::Problem::MissingBackend);
        QCOMPARE(warning.target, kNs + u"/claude"_s);
        QCOMPARE(warning.path, u"spec.rules[0].backendRefs[1].name"_s);
        QVERIFY2(warning.message.contains(u"backend agentgateway-system/claude not found"_s),
                 qPrintable(warning.message));
        QVERIFY(warning.isAbout(ResourceKind::HttpRoute, kNs, u"claude"_s));
        QVERIFY(!warning.isAbout(ResourceKind::HttpRoute, kNs, u"bedrock"_s));
    }

    void fieldsKeptButNotAppliedAreNamed()
    {
        ResourceSet set = ConfigStore::defaults();
        set.routes.first().hostnames = {u"api.example.com"_s};
        set.routes.first().rules.first().requestTimeoutMs = 30000;
        set.backends.first().policies.tls = QJsonObject{{u"sni"_s, u"bedrock.internal"_s},
                                                        {u"verifySubjectAltNames"_s, QJsonArray{u"a"_s}}};
        set.backends.first().policies.ai = QJsonObject{{u"routes"_s, QJsonObject{}}};
        QStringList paths;
        for (const ReferenceWarning &warning : ReferenceCheck::check(set, {kNs + u"/bedrock-secret"_s})) {
            QCOMPARE(warning.problem, ReferenceWarning::Problem::NotApplied);
            QVERIFY(warning.message.startsWith(warning.path + u" is kept (and exported) but not applied"_s));
            paths.append(warning.path);
        }
        // routes and prompt are applied (the gateway's route types, PromptEnrichment), and so is
        // tls.sni: no warning for them.
        QCOMPARE(paths, (QStringList{u"spec.hostnames"_s, u"spec.rules[0].timeouts"_s,
                                     u"spec.policies.tls.verifySubjectAltNames"_s}));
    }

    void tlsCaBundleMustBeAConfigMapWithCaCrt()
    {
        ResourceSet set = ConfigStore::defaults();
        set.backends.first().policies.tls =
            QJsonObject{{u"caCertificateRefs"_s, QJsonArray{QJsonObject{{u"name"_s, u"corp-ca"_s}}}}};
        const auto caWarnings = [&set] {
            QList<ReferenceWarning> found;
            for (const ReferenceWarning &warning : ReferenceCheck::check(set, {kNs + u"/bedrock-secret"_s})) {
                if (warning.problem == ReferenceWarning::Problem::MissingConfigMap)
                    found.append(warning);
            }
            return found;
        };
        QCOMPARE(caWarnings().size(), 1);
        QCOMPARE(caWarnings().first().target, kNs + u"/corp-ca"_s);
        QCOMPARE(caWarnings().first().path, u"spec.policies.tls.caCertificateRefs[0].name"_s);
        QVERIFY(caWarnings().first().message.contains(u"not found"_s));
        set.configMaps.append(ConfigMap{{u"corp-ca"_s, kNs, {}, {}}, {{u"other"_s, u"x"_s}}});
        QVERIFY(caWarnings().first().message.contains(u"has no ca.crt"_s));
        set.configMaps.first().data.insert(u"ca.crt"_s, u"-----BEGIN CERTIFICATE-----"_s);
        QVERIFY(caWarnings().isEmpty());
        set.configMaps.first().meta.ns = u"elsewhere"_s; // looked up in the backend's namespace only
        QCOMPARE(caWarnings().size(), 1);
    }

    void backendRefNamespaceIsHonoured()
    {
        // A backend of the same name in another namespace is not the one the route names.
        ResourceSet set = parsed(kAwsBackendInOtherNs);
        QByteArray route = kRouteToTwo;
        route.replace("    - name: claude\n", "    - name: team\n      namespace: team-a\n");
        route.replace("    - name: bedrock\n", "    - name: team\n");
        set.routes = parsed(route).routes;
        const auto warnings = ReferenceCheck::check(set, {u"team-a/aws-creds"_s});
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings.first().target, kNs + u"/team"_s);
        QCOMPARE(warnings.first().path, u"spec.rules[0].backendRefs[0].name"_s);
    }

    void awsSecretIsLookedUpInTheBackendsNamespace()
    {
        const ResourceSet set = parsed(kAwsBackendInOtherNs);
        QVERIFY(ReferenceCheck::check(set, {u"team-a/aws-creds"_s}).isEmpty());
        const auto warnings = ReferenceCheck::check(set, {kNs + u"/aws-creds"_s}); // wrong namespace
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings.first().target, u"team-a/aws-creds"_s);
        QCOMPARE(warnings.first().path, u"spec.policies.auth.aws.secretRef.name"_s);
    }

    void defaultChainAndInlineKeyNeedNoSecret()
    {
        ResourceSet set = ConfigStore::defaults();
        set.backends.first().policies.auth = {BackendAuth::Kind::DefaultChain, {}, {}};
        QVERIFY(ReferenceCheck::check(set, {}).isEmpty());
        set.backends.first().policies.auth = {BackendAuth::Kind::InlineKey, {}, u"k"_s};
        QVERIFY(ReferenceCheck::check(set, {}).isEmpty());
    }

    void groupProvidersSecretsAreChecked()
    {
        ResourceSet set = parsed(kAwsBackendInOtherNs);
        AiBackend &backend = set.backends.first();
        AiProvider provider;
        provider.name = u"primary"_s;
        BackendPolicies policies;
        policies.auth = {BackendAuth::Kind::SecretRef, u"group-key"_s, {}};
        provider.policies = policies;
        backend.provider.reset();
        backend.groups = {AiProviderGroup{{AiProvider{}, provider}}};
        const auto warnings = ReferenceCheck::check(set, {u"team-a/aws-creds"_s});
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings.first().target, u"team-a/group-key"_s);
        QCOMPARE(warnings.first().path, u"spec.ai.groups[0].providers[1].policies.auth.secretRef.name"_s);
    }
};

QTEST_GUILESS_MAIN(TestConfigReferences)
#include "tst_config_references.moc"
