// YAML <-> JSON at the edge: multi-document YAML becomes JSON objects typed the way kubectl types them.
#include "config/YamlCodec.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <sstream>
#include <string>

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

// Aliases share nodes, so a small file can expand enormously ("billion laughs"); cap the work.
constexpr int kMaxNodes = 200000;
constexpr int kMaxDepth = 64;

QJsonValue resolvePlainScalar(const QString &text)
{
    static const QRegularExpression kNull(u"^(~|null|Null|NULL|)$"_s);
    static const QRegularExpression kTrue(u"^(true|True|TRUE)$"_s);
    static const QRegularExpression kFalse(u"^(false|False|FALSE)$"_s);
    static const QRegularExpression kInt(u"^[-+]?[0-9]+$"_s);
    static const QRegularExpression kHex(u"^0x[0-9a-fA-F]+$"_s);
    static const QRegularExpression kFloat(u"^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"_s);
    if (kNull.match(text).hasMatch())
        return QJsonValue::Null;
    if (kTrue.match(text).hasMatch())
        return true;
    if (kFalse.match(text).hasMatch())
        return false;
    bool ok = false;
    if (kInt.match(text).hasMatch()) {
        const qlonglong value = text.toLongLong(&ok);
        if (ok)
            return double(value);
    }
    if (kHex.match(text).hasMatch()) {
        const qlonglong value = text.mid(2).toLongLong(&ok, 16);
        if (ok)
            return double(value);
    }
    if (kFloat.match(text).hasMatch()) {
        const double value = text.toDouble(&ok);
        if (ok)
            return value;
    }
    return text;
}

class Converter
{
public:
    QString error;

    QJsonValue convert(const YAML::Node &node, int depth)
    {
        if (!error.isEmpty())
            return {};
        if (++m_nodes > kMaxNodes || depth > kMaxDepth) {
            fail(node, u"document is too large or too deeply nested"_s);
            return {};
        }
        switch (node.Type()) {
        case YAML::NodeType::Scalar:
            return scalar(node);
        case YAML::NodeType::Sequence: {
            QJsonArray array;
            for (const YAML::Node &item : node)
                array.append(convert(item, depth + 1));
            return array;
        }
        case YAML::NodeType::Map:
            return map(node, depth);
        default:
            return QJsonValue::Null;
        }
    }

private:
    int m_nodes = 0;

    void fail(const YAML::Node &node, const QString &message)
    {
        if (error.isEmpty())
            error = u"line %1: %2"_s.arg(node.Mark().line + 1).arg(message);
    }

    static QJsonValue scalar(const YAML::Node &node)
    {
        const QString text = QString::fromStdString(node.Scalar());
        const std::string &tag = node.Tag();
        // "?" is a plain scalar; "!" a quoted one; anything else an explicit tag.
        if (tag == "?")
            return resolvePlainScalar(text);
        if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float"
            || tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null")
            return resolvePlainScalar(text);
        return text;
    }

    QJsonValue map(const YAML::Node &node, int depth)
    {
        QJsonObject object;
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->first.IsScalar()) {
                fail(it->first, u"mapping keys must be scalars"_s);
                return {};
            }
            const QString key = QString::fromStdString(it->first.Scalar());
            if (object.contains(key)) {
                fail(it->first, u"duplicate key \"%1\""_s.arg(key));
                return {};
            }
            object.insert(key, convert(it->second, depth + 1));
        }
        return object;
    }
};

bool needsQuotes(const QString &text)
{
    if (text.isEmpty())
        return true;
    return !resolvePlainScalar(text).isString();
}

void emitString(YAML::Emitter &out, const QString &text)
{
    if (needsQuotes(text))
        out << YAML::DoubleQuoted;
    out << text.toStdString();
}

void emitValue(YAML::Emitter &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.isEmpty()) {
            out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
            return;
        }
        out << YAML::BeginMap;
        for (auto it = object.begin(); it != object.end(); ++it) {
            out << YAML::Key;
            emitString(out, it.key());
            out << YAML::Value;
            emitValue(out, it.value());
        }
        out << YAML::EndMap;
        return;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            return;
        }
        out << YAML::BeginSeq;
        for (const QJsonValue &item : array)
            emitValue(out, item);
        out << YAML::EndSeq;
        return;
    }
    case QJsonValue::String:
        emitString(out, value.toString());
        return;
    case QJsonValue::Bool:
        out << (value.toBool() ? "true" : "false");
        return;
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (std::trunc(number) == number && std::abs(number) < 9007199254740992.0)
            out << QByteArray::number(qint64(number)).toStdString();
        else
            out << QByteArray::number(number, 'g', QLocale::FloatingPointShortest).toStdString();
        return;
    }
    default:
        out << YAML::Null;
        return;
    }
}

// yaml-cpp 0.7's LoadAll loops for ever, allocating, on a ',' outside a flow collection (",",
// "- a\n,"): the parser reports an empty document without consuming the token (jbeder/yaml-cpp
// issue 1040, fixed upstream after 0.8 by PR 1319). Walking the events first, building nothing,
// finds that: a stream cannot hold more documents than it has bytes. Throws like LoadAll does.
void checkDocumentsEnd(const std::string &text)
{
    struct DocumentStarts final : YAML::EventHandler
    {
        YAML::Mark last;
        void OnDocumentStart(const YAML::Mark &mark) override { last = mark; }
        void OnDocumentEnd() override {}
        void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
        void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
        void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override {}
        void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                             YAML::EmitterStyle::value) override
        {}
        void OnSequenceEnd() override {}
        void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override
        {}
        void OnMapEnd() override {}
    };
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentStarts events;
    std::size_t documents = 0;
    while (parser.HandleNextDocument(events)) {
        if (++documents > text.size() + 1)
            throw YAML::ParserException(events.last, "unexpected character (a ',' outside [] or {}?)");
    }
}

} // namespace

Result<QList<YamlDocument>> YamlCodec::parse(const QByteArray &yaml)
{
    std::vector<YAML::Node> nodes;
    try {
        checkDocumentsEnd(yaml.toStdString());
        nodes = YAML::LoadAll(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        // e.msg is yaml-cpp's description without the echoed input, so no secret leaks into it.
        return Result<QList<YamlDocument>>::failure(
            u"YAML syntax error at line %1, column %2: %3"_s.arg(e.mark.line + 1)
                .arg(e.mark.column + 1)
                .arg(QString::fromStdString(e.msg)));
    }
    QList<YamlDocument> documents;
    try {
        for (const YAML::Node &node : nodes) {
            if (node.IsNull())
                continue;
            YamlDocument document;
            document.index = int(documents.size()) + 1;
            document.line = node.Mark().line + 1;
            if (!node.IsMap()) {
                return Result<QList<YamlDocument>>::failure(
                    u"document %1 (line %2): expected a mapping with apiVersion and kind"_s
                        .arg(document.index)
                        .arg(document.line));
            }
            Converter converter;
            const QJsonValue value = converter.convert(node, 0);
            if (!converter.error.isEmpty())
                return Result<QList<YamlDocument>>::failure(converter.error);
            document.object = value.toObject();
            documents.append(document);
        }
    } catch (const YAML::Exception &e) {
        return Result<QList<YamlDocument>>::failure(
            u"YAML error at line %1: %2"_s.arg(e.mark.line + 1).arg(QString::fromStdString(e.msg)));
    }
    return documents;
}

QByteArray YamlCodec::write(const QList<QJsonObject> &documents)
{
    QByteArray result;
    for (const QJsonObject &document : documents) {
        YAML::Emitter out;
        out.SetIndent(2);
        out.SetSeqFormat(YAML::Block);
        emitValue(out, document);
        if (!result.isEmpty())
            result += "---\n";
        result += QByteArray(out.c_str(), qsizetype(out.size()));
        result += '\n';
    }
    return result;
}

} // namespace quarry::config
