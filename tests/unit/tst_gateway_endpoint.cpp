// BedrockEndpoint's Host header, as HTTP clients send it: the host in its ASCII (IDNA) form,
// IPv6 literals in brackets, the port only when it is not the scheme's default.
#include "gateway/BedrockEndpoint.h"

#include <QTest>

using namespace Qt::StringLiterals;
using quarry::gateway::BedrockEndpoint;

class TestGatewayEndpoint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hostHeader_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("AWS") << u"https"_s << u"bedrock-runtime.us-east-1.amazonaws.com"_s << 443
                             << "bedrock-runtime.us-east-1.amazonaws.com"_ba;
        QTest::newRow("IPv4, own port") << u"http"_s << u"127.0.0.1"_s << 8081 << "127.0.0.1:8081"_ba;
        QTest::newRow("http's default") << u"http"_s << u"bedrock.internal"_s << 80 << "bedrock.internal"_ba;
        QTest::newRow("upper case") << u"https"_s
                                    << u"VPCE-123.Bedrock-Runtime.US-EAST-1.vpce.amazonaws.com"_s << 443
                                    << "vpce-123.bedrock-runtime.us-east-1.vpce.amazonaws.com"_ba;
        QTest::newRow("IDN") << u"https"_s << u"bücher.example"_s << 8443 << "xn--bcher-kva.example:8443"_ba;
        QTest::newRow("IPv6") << u"http"_s << u"::1"_s << 8081 << "[::1]:8081"_ba;
    }
    void hostHeader()
    {
        QFETCH(QString, scheme);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QByteArray, expected);
        BedrockEndpoint endpoint;
        endpoint.scheme = scheme;
        endpoint.host = host;
        endpoint.port = port;
        QCOMPARE(endpoint.hostHeader(), expected);
    }
};

QTEST_GUILESS_MAIN(TestGatewayEndpoint)
#include "tst_gateway_endpoint.moc"
