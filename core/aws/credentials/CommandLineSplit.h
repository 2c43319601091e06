// Splits a credential_process command line into program and arguments as the AWS CLI does
// (botocore.compat.compat_shell_split), so it runs without a shell: nothing is expanded.
#pragma once

#include "util/Result.h"

#include <QStringList>

namespace quarry::aws {

class CommandLineSplit
{
public:
    // Python's shlex.split (POSIX mode, no comments), what botocore uses off Windows: whitespace
    // separates; '...' is literal; "..." is literal but for \" and \\; a backslash outside quotes
    // takes the next character literally. $, ;, |, * and friends are ordinary characters.
    // Fails on an unclosed quote or a trailing backslash, as shlex raises.
    static Result<QStringList> posix(const QString &command);
    // botocore's _windows_shell_split (the MS C runtime's rules): space and tab separate, only "
    // quotes, backslashes are literal unless a run of them ends at a ".
    static Result<QStringList> windows(const QString &command);
    // posix() or windows(), by the platform Quarry was built for.
    static Result<QStringList> native(const QString &command);
};

} // namespace quarry::aws
