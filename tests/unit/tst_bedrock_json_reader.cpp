// JsonReader: RFC 8259's grammar, where a text breaks, and the values read. The values are also
// compared with QJsonDocument's, on any text, by the fuzz target json_reader.
#include "TestSupport.h"

#include "providers/bedrock/json/JsonReader.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestJsonReader : public QObject
{
    Q_OBJECT

private slots:
    void readsMembersIntoFields();
    void wrongKindIsSkippedAndReadingGoesOn();
    void decodesEscapesAndUtf8();
    void integersAreWholeNumbersJavaScriptCanHold();
    void compactTextKeepsStringsAsTheyAre();
    void rejectsWhatJsonDoesNot_data();
    void rejectsWhatJsonDoesNot();
    void acceptsWhatJsonAllows_data();
    void acceptsWhatJsonAllows();
};

void TestJsonReader::readsMembersIntoFields()
{
    JsonReader reader(R"( {"name": "a", "skipped": {"deep": [1, {"x": null}]}, "count": 3, "ok": true} )"_ba);
    QString name;
    qint64 count = 0;
    bool ok = false;
    const bool isObject = reader.readObject([&](QByteArrayView key) {
        if (key == "name")
            name = reader.readString().value_or(u"?"_s);
        else if (key == "count")
            count = reader.readInteger().value_or(-1);
        else if (key == "ok")
            ok = reader.readBool().value_or(false);
        // "skipped" is left unread: the reader skips it
    });
    QVERIFY(isObject);
    QVERIFY2(reader.finish(), qPrintable(reader.error()));
    QCOMPARE(name, u"a"_s);
    QCOMPARE(count, 3);
    QVERIFY(ok);
}

void TestJsonReader::wrongKindIsSkippedAndReadingGoesOn()
{
    JsonReader reader(R"({"a": [1, 2], "b": "text", "c": {"d": 1}})"_ba);
    std::optional<QString> a;
    std::optional<double> b;
    bool cIsArray = true;
    QString after;
    reader.readObject([&](QByteArrayView key) {
        if (key == "a")
            a = reader.readString();
        else if (key == "b")
            b = reader.readNumber();
        else if (key == "c")
            cIsArray = reader.readArray([] {});
    });
    QVERIFY2(reader.finish(), qPrintable(reader.error()));
    QVERIFY(!a);
    QVERIFY(!b);
    QVERIFY(!cIsArray);

    // A top-level value of the wrong kind is skipped whole, so the text still ends cleanly.
    JsonReader array(R"([{"a": 1}, 2])"_ba);
    QVERIFY(!array.readObject([](QByteArrayView) {}));
    QVERIFY(array.finish());
}

void TestJsonReader::decodesEscapesAndUtf8()
{
    const QByteArray text = R"(["\"\\\/\b\f\n\r\t", "caf\u00e9 \ud83d\ude00", "half \ud800 pair", "\u0000", "plain é 😀"])"_ba;
    JsonReader reader(text);
    QStringList strings;
    reader.readArray([&] { strings.append(reader.readString().value_or(u"?"_s)); });
    QVERIFY2(reader.finish(), qPrintable(reader.error()));
    QCOMPARE(strings.size(), 5);
    QCOMPARE(strings[0], u"\"\\/\b\f\n\r\t"_s);
    QCOMPARE(strings[1], u"café 😀"_s);
    QCOMPARE(strings[2], u"half \uFFFD pair"_s);
    QCOMPARE(strings[3], QString(QChar(0)));
    QCOMPARE(strings[4], u"plain é 😀"_s);

    // An escaped member name is decoded before the caller compares it.
    JsonReader escapedKey(R"({"\u0074ext": "found"})"_ba);
    QString found;
    escapedKey.readObject([&](QByteArrayView key) {
        if (key == "text")
            found = escapedKey.readString().value_or(QString());
    });
    QCOMPARE(found, u"found"_s);
}

void TestJsonReader::integersAreWholeNumbersJavaScriptCanHold()
{
    JsonReader reader("[3, 3.0, -7, 3.5, 9007199254740992, 9007199254740994, 1e400, 2e3]"_ba);
    QList<std::optional<qint64>> read;
    reader.readArray([&] { read.append(reader.readInteger()); });
    QVERIFY2(reader.finish(), qPrintable(reader.error()));
    const QList<std::optional<qint64>> expected = {3, 3, -7, std::nullopt, 9007199254740992LL, std::nullopt,
                                                   std::nullopt, 2000};
    QCOMPARE(read, expected);
}

void TestJsonReader::compactTextKeepsStringsAsTheyAre()
{
    JsonReader reader("{ \"input\" : { \"path\" : \"a b\\\" c\" ,\n \"n\" : [ 1 , 2.50 ] } , \"z\" : 1 }"_ba);
    QByteArray input;
    reader.readObject([&](QByteArrayView key) {
        if (key == "input")
            input = reader.readCompact();
    });
    QVERIFY2(reader.finish(), qPrintable(reader.error()));
    QCOMPARE(input, R"({"path":"a b\" c","n":[1,2.50]})"_ba);
    QVERIFY(!QJsonDocument::fromJson(input).isNull());
}

void TestJsonReader::rejectsWhatJsonDoesNot_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    // QJsonDocument accepts a few of these (a bare fraction, a tab in a string, an unknown escape):
    // the rows it refuses too are checked against it below.
    // Cases after the n_ files of Nicolas Seriot's JSONTestSuite (github.com/nst/JSONTestSuite).
    QTest::newRow("empty") << ""_ba << u"invalid JSON at offset 0: unexpected end of text"_s;
    QTest::newRow("trailing comma in object") << R"({"a":1,})"_ba
                                              << u"invalid JSON at offset 7: a comma before the end of a container"_s;
    QTest::newRow("trailing comma in array") << "[1,]"_ba
                                             << u"invalid JSON at offset 3: a comma before the end of a container"_s;
    QTest::newRow("leading comma") << "[,1]"_ba << u"invalid JSON at offset 1: expected a value"_s;
    QTest::newRow("missing comma") << "[1 2]"_ba << u"invalid JSON at offset 3: expected , or ] in an array"_s;
    QTest::newRow("missing colon") << R"({"a" 1})"_ba << u"invalid JSON at offset 5: expected : after a member name"_s;
    QTest::newRow("unquoted name") << "{a:1}"_ba << u"invalid JSON at offset 1: expected a member name"_s;
    QTest::newRow("unterminated object") << R"({"a":1)"_ba << u"invalid JSON at offset 6: unterminated object"_s;
    QTest::newRow("unterminated array") << "[1"_ba << u"invalid JSON at offset 2: unterminated array"_s;
    QTest::newRow("unterminated string") << R"(["abc)"_ba << u"invalid JSON at offset 5: unterminated string"_s;
    QTest::newRow("leading zero") << "[01]"_ba << u"invalid JSON at offset 2: a number with a leading zero"_s;
    QTest::newRow("bare fraction") << "[.5]"_ba << u"invalid JSON at offset 1: expected a value"_s;
    QTest::newRow("no fraction digits") << "[1.]"_ba << u"invalid JSON at offset 3: invalid number"_s;
    QTest::newRow("no exponent digits") << "[1e+]"_ba << u"invalid JSON at offset 4: invalid number"_s;
    QTest::newRow("plus sign") << "[+1]"_ba << u"invalid JSON at offset 1: expected a value"_s;
    QTest::newRow("minus alone") << "[-]"_ba << u"invalid JSON at offset 2: invalid number"_s;
    QTest::newRow("NaN") << "[NaN]"_ba << u"invalid JSON at offset 1: expected a value"_s;
    QTest::newRow("truncated literal") << "[tru]"_ba << u"invalid JSON at offset 1: invalid literal"_s;
    QTest::newRow("control character") << "[\"a\tb\"]"_ba
                                       << u"invalid JSON at offset 3: control character in a string"_s;
    QTest::newRow("unknown escape") << R"(["\q"])"_ba << u"invalid JSON at offset 2: invalid escape in a string"_s;
    QTest::newRow("short unicode escape") << R"(["\u12"])"_ba
                                          << u"invalid JSON at offset 2: invalid escape in a string"_s;
    QTest::newRow("overlong UTF-8") << "[\"\xc0\x80\"]"_ba << u"invalid JSON at offset 2: invalid UTF-8 in a string"_s;
    QTest::newRow("UTF-8 surrogate") << "[\"\xed\xa0\x80\"]"_ba
                                     << u"invalid JSON at offset 2: invalid UTF-8 in a string"_s;
    QTest::newRow("beyond U+10FFFF") << "[\"\xf4\x90\x80\x80\"]"_ba
                                     << u"invalid JSON at offset 2: invalid UTF-8 in a string"_s;
    QTest::newRow("cut UTF-8") << "[\"\xc3\"]"_ba << u"invalid JSON at offset 2: invalid UTF-8 in a string"_s;
    QTest::newRow("text after") << "[1] x"_ba << u"invalid JSON at offset 4: text after the value"_s;
    QTest::newRow("1025 deep") << QByteArray(1025, '[') + QByteArray(1025, ']')
                               << u"invalid JSON at offset 1024: nested too deeply"_s;
}

void TestJsonReader::rejectsWhatJsonDoesNot()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    JsonReader reader(text);
    reader.skipValue();
    QVERIFY(!reader.finish());
    QCOMPARE(reader.error(), error);
    // A parser not written here agrees, where it is strict (it reads only arrays and objects).
    static const QStringList qtAccepts = {u"bare fraction"_s, u"no fraction digits"_s, u"control character"_s,
                                          u"unknown escape"_s};
    QCOMPARE(QJsonDocument::fromJson(text).isNull(), !qtAccepts.contains(QString::fromLatin1(QTest::currentDataTag())));
}

void TestJsonReader::acceptsWhatJsonAllows_data()
{
    QTest::addColumn<QByteArray>("text");
    // After JSONTestSuite's y_ files.
    QTest::newRow("empty containers") << R"({"a":{},"b":[],"c":[{}],"":"")"_ba + "}";
    QTest::newRow("whitespace everywhere") << " \t\r\n[ 1 , { \"a\" : null } ] \n"_ba;
    QTest::newRow("numbers") << "[0,-0,0.5,-1.25e-3,1E2,1e+2,123456789012345678901234567890]"_ba;
    QTest::newRow("literals") << "[true,false,null]"_ba;
    QTest::newRow("DEL and non-ASCII") << "[\"\x7f \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"]"_ba;
    QTest::newRow("1024 deep") << QByteArray(1024, '[') + QByteArray(1024, ']');
    QTest::newRow("scalar at the top") << R"("just a string")"_ba;
}

void TestJsonReader::acceptsWhatJsonAllows()
{
    QFETCH(QByteArray, text);
    JsonReader reader(text);
    reader.skipValue();
    QVERIFY2(reader.finish(), qPrintable(reader.error()));
}

QTEST_GUILESS_MAIN(TestJsonReader)
#include "tst_bedrock_json_reader.moc"
