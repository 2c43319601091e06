// BackendStatus, what the window gets about a backend's credentials: where they come from, what is
// wrong and when they expire, never a key, secret or token.
#include "gateway/BackendStatus.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;

class TestGatewayCredentialsStatus : public QObject
{
    Q_OBJECT

private slots:
    void statusCarriesSourcesNotCredentials()
    {
        gateway::BackendTarget target;
        target.name = u"team/claude"_s;
        target.model = u"amazon.titan-text-lite-v1"_s;
        target.endpoint.region = u"eu-west-1"_s;
        target.credentials.kind = gateway::BedrockCredentials::Kind::SigV4;
        // Values listed in tests/data/secret-values.txt.
        target.credentials.aws = {u"AKIASTATUSTEST000001"_s, u"wJalrXUtnFEMI-VALUE-MARKER"_s,
                                  u"client-session-token"_s};
        target.credentials.bearerToken = u"bedrock-api-key-value"_s;
        target.credentials.source = u"secret team/bedrock-secret"_s;
        target.credentials.expiration = QDateTime::fromString(u"2099-01-01T00:00:00Z"_s, Qt::ISODate);

        const gateway::BackendStatus status = gateway::BackendStatus::of(target);
        QCOMPARE(status.name, u"team/claude"_s);
        QCOMPARE(status.model, u"amazon.titan-text-lite-v1"_s);
        QCOMPARE(status.region, u"eu-west-1"_s);
        QVERIFY(status.usable);
        QVERIFY(!status.simulated);
        QCOMPARE(status.source, u"secret team/bedrock-secret"_s);
        QCOMPARE(status.expiration, target.credentials.expiration);
        const QString shown = status.name + status.model + status.region + status.source + status.problem;
        for (const QString &secret :
             {u"wJalrXUtnFEMI-VALUE-MARKER"_s, u"client-session-token"_s, u"bedrock-api-key-value"_s})
            QVERIFY(!shown.contains(secret));

        target.credentials = {};
        target.credentials.problem =
            u"Backend team/claude uses secret team/x, which is not in the keychain."_s;
        target.simulated = true;
        const gateway::BackendStatus missing = gateway::BackendStatus::of(target);
        QVERIFY(!missing.usable);
        QVERIFY(missing.simulated);
        QCOMPARE(missing.problem, target.credentials.problem);
    }
};

QTEST_GUILESS_MAIN(TestGatewayCredentialsStatus)
#include "tst_gateway_credentials_status.moc"
