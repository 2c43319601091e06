// Request checks, InvokeModel bodies per model family, and the OpenAI response.
#include "providers/bedrock/openai/Embeddings.h"

#include "util/StrictJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

// The largest input list OpenAI's API takes; more is refused before any Bedrock call.
constexpr qsizetype MaximumInputs = 2048;

Result<QStringList> readInputs(const QJsonValue &input)
{
    QStringList texts;
    if (input.isString()) {
        texts.append(input.toString());
    } else if (input.isArray()) {
        for (const QJsonValue &item : input.toArray()) {
            if (!item.isString())
                return Result<QStringList>::failure(
                    u"input: Bedrock's embedding models take text; send strings, not token arrays"_s);
            texts.append(item.toString());
        }
    } else {
        return Result<QStringList>::failure(u"input: must be a string or an array of strings"_s);
    }
    if (texts.isEmpty())
        return Result<QStringList>::failure(u"input: must not be empty"_s);
    if (texts.size() > MaximumInputs)
        return Result<QStringList>::failure(u"input: at most %1 texts per request"_s.arg(MaximumInputs));
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (texts.at(i).isEmpty())
            return Result<QStringList>::failure(u"input[%1]: must not be an empty string"_s.arg(i));
    }
    return texts;
}

Status oneOf(std::optional<int> dimensions, const QList<int> &allowed, const QString &modelName)
{
    if (!dimensions || allowed.contains(*dimensions))
        return Ok{};
    QStringList names;
    for (const int value : allowed)
        names.append(QString::number(value));
    return Status::failure(u"dimensions: %1 gives %2 dimensions, not %3"_s.arg(modelName, names.join(u", "_s),
                                                                               QString::number(*dimensions)));
}

QList<double> readVector(const QJsonValue &value)
{
    QList<double> vector;
    for (const QJsonValue &number : value.toArray())
        vector.append(number.toDouble());
    return vector;
}

QByteArray float32Base64(const QList<double> &vector)
{
    QByteArray bytes(vector.size() * 4, Qt::Uninitialized);
    for (qsizetype i = 0; i < vector.size(); ++i)
        qToLittleEndian(float(vector.at(i)), bytes.data() + i * 4);
    return bytes.toBase64();
}

} // namespace

Result<EmbeddingsRequest> EmbeddingsRequest::parse(const QByteArray &body)
{
    const auto parsed = util::parseJsonBody(body);
    if (!parsed.ok())
        return Result<EmbeddingsRequest>::failure(parsed.error());
    const QJsonObject &object = *parsed;

    EmbeddingsRequest request;
    if (!object.value(u"model"_s).isString() && !object.value(u"model"_s).isUndefined())
        return Result<EmbeddingsRequest>::failure(u"model: must be a string"_s);
    request.model = object.value(u"model"_s).toString();
    if (!object.contains(u"input"_s))
        return Result<EmbeddingsRequest>::failure(u"input: required"_s);
    auto inputs = readInputs(object.value(u"input"_s));
    if (!inputs.ok())
        return Result<EmbeddingsRequest>::failure(inputs.error());
    request.inputs = *inputs;
    if (const QJsonValue dimensions = object.value(u"dimensions"_s);
        util::isSet(dimensions)) {
        if (!dimensions.isDouble() || dimensions.toDouble() != double(dimensions.toInt()) ||
            dimensions.toInt() < 1)
            return Result<EmbeddingsRequest>::failure(u"dimensions: must be a positive integer"_s);
        request.dimensions = dimensions.toInt();
    }
    const QString format = object.value(u"encoding_format"_s).toString(u"float"_s);
    if (format != u"float"_s && format != u"base64"_s)
        return Result<EmbeddingsRequest>::failure(u"encoding_format: must be \"float\" or \"base64\""_s);
    request.base64 = format == u"base64"_s;
    static const QStringList known{u"model"_s, u"input"_s, u"dimensions"_s, u"encoding_format"_s};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            request.droppedParameters.append(it.key());
    }
    return request;
}

std::optional<EmbeddingModel> EmbeddingModel::forModel(const QString &modelId)
{
    // An ARN or a profile ("us.", "global.") ends with, or contains, the model's own id.
    const QString id = modelId.section(u'/', -1);
    if (id.contains(u"amazon.titan-embed-text-v2"_s))
        return EmbeddingModel(Family::TitanV2);
    if (id.contains(u"amazon.titan-embed-text-v1"_s) || id.contains(u"amazon.titan-embed-g1-text"_s))
        return EmbeddingModel(Family::TitanV1);
    if (id.contains(u"cohere.embed-v4"_s))
        return EmbeddingModel(Family::CohereV4);
    if (id.contains(u"cohere.embed-english-v3"_s) || id.contains(u"cohere.embed-multilingual-v3"_s))
        return EmbeddingModel(Family::CohereV3);
    return std::nullopt;
}

int EmbeddingModel::batchSize() const
{
    return m_family == Family::CohereV3 || m_family == Family::CohereV4 ? 96 : 1;
}

Status EmbeddingModel::checkDimensions(std::optional<int> dimensions) const
{
    switch (m_family) {
    case Family::TitanV1:
        return oneOf(dimensions, {1536}, u"Titan Text Embeddings v1"_s);
    case Family::TitanV2:
        return oneOf(dimensions, {256, 512, 1024}, u"Titan Text Embeddings v2"_s);
    case Family::CohereV3:
        return oneOf(dimensions, {1024}, u"Cohere Embed v3"_s);
    case Family::CohereV4:
        return oneOf(dimensions, {256, 512, 1024, 1536}, u"Cohere Embed v4"_s);
    }
    return Ok{};
}

QByteArray EmbeddingModel::invokeBody(const EmbeddingsRequest &request, qsizetype first,
                                      qsizetype count) const
{
    QJsonObject body;
    switch (m_family) {
    case Family::TitanV1:
        body = {{u"inputText"_s, request.inputs.at(first)}};
        break;
    case Family::TitanV2:
        body = {{u"inputText"_s, request.inputs.at(first)}, {u"normalize"_s, true}};
        if (request.dimensions)
            body.insert(u"dimensions"_s, *request.dimensions);
        break;
    case Family::CohereV3:
    case Family::CohereV4:
        // search_document: OpenAI's API has no input type, and documents are what gets embedded most.
        body = {{u"texts"_s, QJsonArray::fromStringList(request.inputs.mid(first, count))},
                {u"input_type"_s, u"search_document"_s}};
        if (m_family == Family::CohereV4) {
            body.insert(u"embedding_types"_s, QJsonArray{u"float"_s});
            if (request.dimensions)
                body.insert(u"output_dimension"_s, *request.dimensions);
        }
        break;
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

Result<EmbeddingModel::Answer> EmbeddingModel::readAnswer(const QByteArray &body, int headerTokens) const
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    Answer answer;
    answer.inputTokens = headerTokens;
    if (m_family == Family::TitanV1 || m_family == Family::TitanV2) {
        if (!object.value(u"embedding"_s).isArray())
            return Result<Answer>::failure(u"no \"embedding\" in Titan's answer"_s);
        answer.vectors.append(readVector(object.value(u"embedding"_s)));
        if (object.contains(u"inputTextTokenCount"_s))
            answer.inputTokens = object.value(u"inputTextTokenCount"_s).toInt();
    } else {
        // v3: {"embeddings": [[...]]}; v4 (and v3 asked for types): {"embeddings": {"float": [[...]]}}.
        const QJsonValue embeddings = object.value(u"embeddings"_s);
        const QJsonArray vectors =
            embeddings.isArray() ? embeddings.toArray() : embeddings.toObject().value(u"float"_s).toArray();
        if (vectors.isEmpty())
            return Result<Answer>::failure(u"no \"embeddings\" in Cohere's answer"_s);
        for (const QJsonValue &vector : vectors)
            answer.vectors.append(readVector(vector));
    }
    answer.inputTokens = std::max(answer.inputTokens, 0);
    return answer;
}

QByteArray embeddingsResponse(const QString &model, const QList<QList<double>> &vectors, bool base64,
                              int promptTokens)
{
    QJsonArray data;
    for (qsizetype i = 0; i < vectors.size(); ++i) {
        QJsonValue embedding;
        if (base64) {
            embedding = QString::fromLatin1(float32Base64(vectors.at(i)));
        } else {
            QJsonArray numbers;
            for (const double number : vectors.at(i))
                numbers.append(number);
            embedding = numbers;
        }
        data.append(
            QJsonObject{{u"object"_s, u"embedding"_s}, {u"index"_s, int(i)}, {u"embedding"_s, embedding}});
    }
    const QJsonObject usage{{u"prompt_tokens"_s, promptTokens}, {u"total_tokens"_s, promptTokens}};
    return QJsonDocument(
               QJsonObject{
                   {u"object"_s, u"list"_s}, {u"data"_s, data}, {u"model"_s, model}, {u"usage"_s, usage}})
        .toJson(QJsonDocument::Compact);
}

} // namespace quarry::bedrock
