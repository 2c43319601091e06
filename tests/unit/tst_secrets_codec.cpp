// Tests for SecretCodec: what goes into one keychain item comes back out byte for byte.
#include "secrets/SecretCodec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::secrets;

class TestSecretsCodec : public QObject
{
    Q_OBJECT
private slots:
    void roundTripsTextAndBinary();
    void textValuesStayReadable();
    void rejectsForeignItems_data();
    void rejectsForeignItems();
};

void TestSecretsCodec::roundTripsTextAndBinary()
{
    const SecretData data{
        {u"accessKey"_s, "AKIAIOSFODNN7EXAMPLE"_ba},          {u"unicode"_s, u"pässwörd-密钥-🔑"_s.toUtf8()},
        {u"binary"_s, QByteArray("\xff\xfe\x00\x01\x80", 5)}, {u"empty"_s, QByteArray()},
        {u"json-ish"_s, R"({"base64":"AAAA"})"_ba},
    };
    const auto decoded = SecretCodec::decode(SecretCodec::encode(data));
    QVERIFY2(decoded.ok(), qPrintable(decoded ? QString() : decoded.error()));
    QCOMPARE(decoded.value(), data);
}

void TestSecretsCodec::textValuesStayReadable()
{
    // Someone looking at the item in Seahorse / Keychain Access sees the text, not base64.
    const QByteArray bytes = SecretCodec::encode({{u"Authorization"_s, "Bearer abc"_ba}});
    const QJsonObject object = QJsonDocument::fromJson(bytes).object();
    QCOMPARE(object.value(u"Authorization"_s).toString(), u"Bearer abc"_s);
    QVERIFY(!bytes.contains('\n')); // compact
}

void TestSecretsCodec::rejectsForeignItems_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("plain password") << "hunter2"_ba;
    QTest::newRow("json array") << "[1,2]"_ba;
    QTest::newRow("number value") << R"({"a":1})"_ba;
    QTest::newRow("bad base64") << R"({"a":{"base64":"@@@"}})"_ba;
    QTest::newRow("object without marker") << R"({"a":{"other":"x"}})"_ba;
}

void TestSecretsCodec::rejectsForeignItems()
{
    QFETCH(QByteArray, bytes);
    const auto decoded = SecretCodec::decode(bytes);
    QVERIFY(!decoded.ok());
    QVERIFY(!decoded.error().contains(u"hunter2"_s)); // errors never echo the content
}

QTEST_GUILESS_MAIN(TestSecretsCodec)
#include "tst_secrets_codec.moc"
