// SigV4Signer: signs requests with AWS Signature Version 4 (Authorization header form).
#pragma once

#include "aws/AwsCredentials.h"
#include "aws/SigV4Canonical.h"
#include "aws/SignableRequest.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace quarry::aws {

class SigV4Signer
{
public:
    SigV4Signer(QString region, QString service);

    // Headers to add to the request: "X-Amz-Date", "X-Amz-Security-Token" (only with a session
    // token), "Authorization". Any of these already in the request are replaced, not signed twice.
    HeaderList sign(const SignableRequest &request, const AwsCredentials &credentials,
                    const QDateTime &now) const;

    // Intermediate steps, public for the AWS test-suite vectors:
    QByteArray
    canonicalRequest(const SignableRequest &request) const; // request must already hold X-Amz-Date etc.
    QByteArray stringToSign(const SignableRequest &request) const; // date taken from the X-Amz-Date header

    // The signature (lowercase hex) of a string to sign made by stringToSign().
    QByteArray signature(const QByteArray &stringToSign, const QString &secretAccessKey) const;
    // "yyyyMMdd/region/service/aws4_request" for an X-Amz-Date value.
    QByteArray credentialScope(const QByteArray &amzDate) const;

    // x-amz-date format, yyyyMMdd'T'HHmmss'Z' in UTC.
    static QByteArray formatAmzDate(const QDateTime &time);
    // The value of the first header with this (case-insensitive) name, or a null QByteArray.
    static QByteArray headerValue(const HeaderList &headers, const QByteArray &lowercaseName);

private:
    // The same, with the request's canonical headers made once (sign() needs them twice).
    QByteArray canonicalRequest(const SignableRequest &request, const SigV4Canonical::Headers &headers) const;
    QByteArray stringToSign(QByteArrayView amzDate, const QByteArray &canonicalRequest) const;
    void appendCredentialScope(QByteArray &out, QByteArrayView amzDate) const;

    QByteArray m_region;
    QByteArray m_service;
};

} // namespace quarry::aws
