// Tests for ClusterExporter: an inline API key never reaches an export, loopback endpoint overrides
// and Quarry's annotations are left out with a warning or a comment, and what kgateway v2.1's Backend
// has no field for is reported. The CRD checks of the output are tests/js/export-schemas.test.mjs.
#include "TestSupport.h"

#include "config/ManifestParser.h"
#include "config/export/ClusterExporter.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace {

const QByteArray kInlineKey = "unit-export-inline-key-3b9d";

ResourceSet parsed(const QByteArray &yaml)
{
    const auto result = parseManifests(yaml);
    if (!result.ok())
        qFatal("test manifest does not parse: %s", qPrintable(result.error()));
    ResourceSet set;
    for (const Resource &resource : *result) {
        if (const auto *backend = resource.as<AiBackend>())
            set.backends.append(*backend);
        else if (const auto *route = resource.as<HttpRoute>())
            set.routes.append(*route);
    }
    return set;
}

// A backend as the window's editor holds it before apply: the key still inline.
const QByteArray kInlineBackend = "apiVersion: agentgateway.dev/v1alpha1\n"
                                  "kind: AgentgatewayBackend\n"
                                  "metadata:\n  name: b\n"
                                  "  annotations:\n    quarry.dev/aws-profile: dev\n"
                                  "spec:\n  ai:\n    provider:\n      host: 127.0.0.1\n      port: 9000\n"
                                  "      bedrock:\n        region: us-west-2\n"
                                  "  policies:\n    auth:\n      key: \"" +
                                  kInlineKey + "\"\n    ai:\n      modelAliases: {fast: m}\n";

} // namespace

class TestConfigExport : public QObject
{
    Q_OBJECT

private slots:
    void inlineKeyNeverExported_data()
    {
        QTest::addColumn<ExportTarget>("target");
        QTest::addColumn<ExportOptions::Secrets>("secrets");
        for (ExportTarget target :
             {ExportTarget::Agentgateway, ExportTarget::KgatewayV22, ExportTarget::KgatewayV21}) {
            QTest::addRow("%s manifest", qPrintable(exportTargetName(target)))
                << target << ExportOptions::Secrets::Manifest;
            QTest::addRow("%s kubectl", qPrintable(exportTargetName(target)))
                << target << ExportOptions::Secrets::Kubectl;
        }
    }

    void inlineKeyNeverExported()
    {
        QFETCH(ExportTarget, target);
        QFETCH(ExportOptions::Secrets, secrets);
        ExportOptions options;
        options.target = target;
        options.secrets = secrets;
        const ExportedManifests out = ClusterExporter::run(parsed(kInlineBackend), options);
        const QByteArray everything = out.yaml() + out.secretScript() + out.warnings.join(u'\n').toUtf8();
        QVERIFY(!everything.contains(kInlineKey));
        // It became a reference to the Secret apply would have made, with a placeholder.
        QVERIFY(everything.contains("b-inline-key"));
        QVERIFY(everything.contains("AWS_BEARER_TOKEN_BEDROCK"));
    }

    void desktopOnlySettingsAreReported()
    {
        const ExportedManifests out = ClusterExporter::run(parsed(kInlineBackend), {});
        const QByteArray yaml = out.yaml();
        QVERIFY(!out.documents.isEmpty());
        const QByteArray backend = ExportedManifests::yaml(out.documents.last());
        QVERIFY(!backend.contains("127.0.0.1"));
        QVERIFY(!backend.contains("quarry.dev/"));
        QVERIFY(
            backend.contains("# The desktop signed this backend's requests with the AWS profile \"dev\""));
        QVERIFY(backend.contains("IRSA or EKS Pod Identity"));
        QCOMPARE(out.warnings.size(), 1);
        QVERIFY(out.warnings.first().contains(u"127.0.0.1:9000"_s));
    }

    // A budget is enforced by the desktop's gateway; the cluster gets a comment, not the annotation.
    void budgetAnnotationsBecomeComments()
    {
        const QByteArray manifest = "apiVersion: agentgateway.dev/v1alpha1\n"
                                    "kind: AgentgatewayBackend\n"
                                    "metadata:\n  name: b\n  annotations:\n"
                                    "    quarry.dev/budget-daily-usd: \"5\"\n"
                                    "    quarry.dev/budget-hard-limit: \"true\"\n"
                                    "spec:\n  ai:\n    provider:\n      bedrock:\n        region: us-east-1\n";
        const ExportedManifests out = ClusterExporter::run(parsed(manifest), {});
        const QByteArray backend = ExportedManifests::yaml(out.documents.last());
        QVERIFY2(!backend.contains("quarry.dev/"), backend.constData());
        QVERIFY2(backend.contains("# Quarry's spending budget budget-daily-usd: \"5\" is kept by the desktop only"),
                 backend.constData());
        QVERIFY(backend.contains("budget-hard-limit: \"true\""));
        QVERIFY(backend.contains("AWS Budgets"));
    }

    void legacyTargetReportsWhatItLacks()
    {
        ExportOptions options;
        options.target = ExportTarget::KgatewayV21;
        const ExportedManifests out = ClusterExporter::run(parsed(kInlineBackend), options);
        const QString warnings = out.warnings.join(u'\n');
        QVERIFY2(warnings.contains(u"spec.policies.ai (modelAliases) has no field in kgateway v2.1"_s),
                 qPrintable(warnings));
        QCOMPARE(out.documents.last().object.value(u"kind"_s).toString(), u"Backend"_s);
    }

    // v2.1's Backend as the export writes it (priorityGroups, path.full, lower-case route types,
    // bedrock.auth) is read back by apply into the same backend.
    void legacyShapeReadsBack()
    {
        const ResourceSet set =
            parsed("apiVersion: agentgateway.dev/v1alpha1\n"
                   "kind: AgentgatewayBackend\nmetadata: {name: g}\nspec:\n  ai:\n    groups:\n"
                   "    - providers:\n      - name: a\n        host: vpce.example.com\n"
                   "        port: 443\n        path: /p\n        bedrock: {region: us-east-1}\n"
                   "        policies: {auth: {secretRef: {name: s}}}\n"
                   "    - providers:\n      - name: b\n        bedrock: {region: us-west-2, model: m}\n"
                   "  policies:\n    ai:\n      routes: {/v1/messages: Messages}\n");
        ExportOptions options;
        options.target = ExportTarget::KgatewayV21;
        const ExportedManifests out = ClusterExporter::run(set, options);
        const auto back = parseManifests(out.yaml());
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error()));
        const AiBackend *backend = nullptr;
        for (const Resource &resource : *back) {
            if (resource.as<AiBackend>())
                backend = resource.as<AiBackend>();
        }
        QVERIFY(backend);
        AiBackend expected = set.backends.first();
        expected.apiVersion = backend->apiVersion;
        QCOMPARE(*backend, expected);
    }
};

QUARRY_TEST_GUILESS_MAIN(TestConfigExport)
#include "tst_config_export.moc"
