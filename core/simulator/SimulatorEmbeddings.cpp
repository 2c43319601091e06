// Deterministic embeddings: each text's SHA-256 seeds its vector.
#include "simulator/SimulatorEmbeddings.h"

#include "simulator/SimulatorResponses.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtEndian>

#include <cmath>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

QJsonArray vectorFor(const QString &text, int dimensions)
{
    const QByteArray digest = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
    QRandomGenerator random(qFromLittleEndian<quint32>(digest.constData()));
    QList<double> values(dimensions);
    double norm = 0;
    for (double &value : values) {
        value = random.generateDouble() * 2 - 1;
        norm += value * value;
    }
    QJsonArray vector;
    for (const double value : values)
        vector.append(value / std::sqrt(norm));
    return vector;
}

int tokensIn(const QString &text)
{
    return int(text.split(u' ', Qt::SkipEmptyParts).size()) + 1;
}

void sendJson(http::ResponseWriter &writer, const QJsonObject &body, int inputTokens)
{
    writer.respond(200,
                   {{"Content-Type"_ba, "application/json"_ba},
                    {"x-amzn-RequestId"_ba, SimulatorResponses::newRequestId()},
                    {"X-Amzn-Bedrock-Input-Token-Count"_ba, QByteArray::number(inputTokens)}},
                   QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace

void SimulatorEmbeddings::send(http::ResponseWriter &writer, const EmbeddingModel &model,
                               const QByteArray &body)
{
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    const auto refuse = [&writer](const QString &message) {
        SimulatorResponses::sendError(writer, 400, u"ValidationException"_s, message);
    };
    if (model.family() == EmbeddingModel::Family::TitanV1 ||
        model.family() == EmbeddingModel::Family::TitanV2) {
        const QString text = request.value(u"inputText"_s).toString();
        if (text.isEmpty())
            return refuse(u"Malformed input request: required key [inputText] not found"_s);
        const bool v2 = model.family() == EmbeddingModel::Family::TitanV2;
        const int dimensions = v2 ? request.value(u"dimensions"_s).toInt(1024) : 1536;
        if (v2 && dimensions != 256 && dimensions != 512 && dimensions != 1024)
            return refuse(u"Malformed input request: dimensions must be 256, 512 or 1024"_s);
        return sendJson(
            writer,
            {{u"embedding"_s, vectorFor(text, dimensions)}, {u"inputTextTokenCount"_s, tokensIn(text)}},
            tokensIn(text));
    }
    const QJsonArray texts = request.value(u"texts"_s).toArray();
    if (texts.isEmpty() || texts.size() > 96)
        return refuse(u"Malformed input request: texts must hold 1 to 96 strings"_s);
    const bool v4 = model.family() == EmbeddingModel::Family::CohereV4;
    const int dimensions = v4 ? request.value(u"output_dimension"_s).toInt(1536) : 1024;
    if (v4 && dimensions != 256 && dimensions != 512 && dimensions != 1024 && dimensions != 1536)
        return refuse(u"Malformed input request: output_dimension must be 256, 512, 1024 or 1536"_s);
    QJsonArray vectors;
    int tokens = 0;
    for (const QJsonValue &text : texts) {
        vectors.append(vectorFor(text.toString(), dimensions));
        tokens += tokensIn(text.toString());
    }
    QJsonObject answer{{u"id"_s, QString::fromLatin1(SimulatorResponses::newRequestId())},
                       {u"texts"_s, texts}};
    if (v4) {
        answer.insert(u"embeddings"_s, QJsonObject{{u"float"_s, vectors}});
        answer.insert(u"response_type"_s, u"embeddings_by_type"_s);
    } else {
        answer.insert(u"embeddings"_s, vectors);
        answer.insert(u"response_type"_s, u"embeddings_floats"_s);
    }
    sendJson(writer, answer, tokens);
}

} // namespace quarry::bedrock
