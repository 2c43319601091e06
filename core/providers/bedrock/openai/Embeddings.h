// OpenAI's embeddings API over Bedrock InvokeModel, for the embedding models Bedrock offers:
// Amazon Titan Text Embeddings v1/v2 (one text per call) and Cohere Embed v3/v4 (up to 96 texts
// per call). Body and response shapes are from the Bedrock user guide's model parameter pages.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace quarry::bedrock {

struct EmbeddingsRequest
{
    QString model;
    QStringList inputs;            // `input`: one string, or an array of strings
    std::optional<int> dimensions; // `dimensions`
    bool base64 = false;           // `encoding_format: "base64"` (the OpenAI SDKs' default)
    QStringList droppedParameters; // fields Bedrock has no use for (`user`, unknown ones)

    static Result<EmbeddingsRequest> parse(const QByteArray &body);
};

class EmbeddingModel
{
public:
    enum class Family { TitanV1, TitanV2, CohereV3, CohereV4 };

    // The family of a model id, inference profile ("us.cohere.embed-v4:0") or ARN naming one.
    static std::optional<EmbeddingModel> forModel(const QString &modelId);

    Family family() const { return m_family; }
    // Texts one InvokeModel call takes.
    int batchSize() const;
    // Checks `dimensions` against what the model can give; the message says what it takes.
    Status checkDimensions(std::optional<int> dimensions) const;
    // The InvokeModel body for inputs [first, first + count).
    QByteArray invokeBody(const EmbeddingsRequest &request, qsizetype first, qsizetype count) const;

    struct Answer
    {
        QList<QList<double>> vectors; // one per text of the call, in order
        int inputTokens = 0;
    };
    // Bedrock's answer to one call. Cohere reports its token count only in the
    // X-Amzn-Bedrock-Input-Token-Count header, passed as `headerTokens` (-1 when absent).
    Result<Answer> readAnswer(const QByteArray &body, int headerTokens) const;

private:
    explicit EmbeddingModel(Family family) : m_family(family) {}
    Family m_family;
};

// OpenAI's list response; base64 vectors are little-endian float32, as the OpenAI SDKs decode them.
QByteArray embeddingsResponse(const QString &model, const QList<QList<double>> &vectors, bool base64,
                              int promptTokens);

} // namespace quarry::bedrock
