<?php
/*
 * A PhoneMatch Dialer client written the way Veratad's own Magento module calls the real service
 * (veratad-apps/m2-app, Helper/Cron.php): the Dialer gateway with "Content-Type:application/json",
 * the order id as reference, `test.message` as the recording and the excluded line types from the
 * shop's settings; then, as its cron does, a status request for every call whose stored action is
 * still PENDING, reading result.action, result.detail, meta.timestamp and meta.confirmation.
 *
 * Plain PHP and curl, nothing mock-specific: only the host is an argument (the module hard-codes
 * https://production.idresponse.com).
 *
 *   php magento-dialer.php <base-url> dial <phone> <order-id> <excluded types, comma-separated>
 *   php magento-dialer.php <base-url> status <token>
 *
 * Prints one line per answer ("gateway: PENDING MORE INFORMATION IS REQUIRED confirmation=… …"),
 * "final: …" once the action is no longer PENDING, and "error: CODE message detail" for an error
 * envelope. Exits 0 when every answer was read, 1 otherwise.
 */

const USER = 'user@company.com';
const PASS = 'PASSWORD';
/** How many cron runs re-poll a PENDING call before giving up (the module has no limit; a test needs one). */
const CRON_RUNS = 10;

function post($url, $data)
{
    $ch = curl_init($url);
    curl_setopt($ch, CURLOPT_POST, true);
    curl_setopt($ch, CURLOPT_HTTPHEADER, ['Content-Type:application/json']);
    curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($data));
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
    curl_setopt($ch, CURLOPT_TIMEOUT, 20);
    $body = curl_exec($ch);
    if ($body === false) {
        fwrite(STDERR, 'curl: ' . curl_error($ch) . "\n");
        exit(1);
    }
    $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    curl_close($ch);
    $array_result = json_decode($body, true);
    if (!is_array($array_result)) {
        fwrite(STDERR, "HTTP $status with a body that is not JSON: $body\n");
        exit(1);
    }
    return [$status, $array_result];
}

function report($label, $status, $array_result)
{
    if (isset($array_result['error'])) {
        $error = $array_result['error'];
        $detail = array_key_exists('detail', $error) ? $error['detail'] : '';
        echo "error: HTTP $status {$error['code']} {$error['message']} $detail\n";
        return null;
    }
    $action = $array_result['result']['action'];
    $detail = $array_result['result']['detail'];
    $timestamp = $array_result['meta']['timestamp'];
    $confirmation = $array_result['meta']['confirmation'];
    echo "$label: $action $detail confirmation=$confirmation timestamp=$timestamp\n";
    return $action;
}

// veratadPostDialer()
function veratadPostDialer($base, $phone, $orderid, $excluded_phone_types)
{
    $phone_types = explode(',', $excluded_phone_types);
    $phone_types_send = array_values(array_filter($phone_types, 'strlen'));
    $data = array(
        "user" => USER,
        "pass" => PASS,
        "service" => "PhoneMatch5.0.Dialer",
        "reference" => $orderid,
        "target" => array(
            "phone" => $phone
        ),
        "options" => array(
            "outofband" => array(
                "message" => "test.message",
                "do_not_send_to_types" => $phone_types_send
            )
        )
    );
    list($status, $array_result) = post("$base/process/comprehensive/gateway", $data);
    $action = report('gateway', $status, $array_result);
    if (array_key_exists('continuations', $array_result)) {
        $token_save = $array_result['continuations']['outofband']['template']['token'];
    } else {
        $token_save = null;
    }
    echo 'token: ' . ($token_save === null ? 'none' : $token_save) . "\n";
    return [$action, $token_save];
}

// veratadPostStatus()
function veratadPostStatus($base, $token)
{
    $data = array(
        "dialer" => array(
            "return" => "status"
        ),
        "token" => $token
    );
    list($status, $array_result) = post("$base/process/continue", $data);
    return report('status', $status, $array_result);
}

$base = rtrim($argv[1] ?? 'https://production.idresponse.com', '/');
$command = $argv[2] ?? '';

if ($command === 'status') {
    $action = veratadPostStatus($base, $argv[3]);
    exit($action === null ? 0 : 1);
}
if ($command !== 'dial') {
    fwrite(STDERR, "usage: php magento-dialer.php <base-url> dial <phone> <order-id> <excluded> | status <token>\n");
    exit(2);
}

list($action, $token) = veratadPostDialer($base, $argv[3], $argv[4], $argv[5] ?? '');
// The cron: every run re-polls the calls whose stored action is PENDING.
for ($run = 0; $action === 'PENDING' && $run < CRON_RUNS; $run++) {
    $action = veratadPostStatus($base, $token);
}
if ($action === null || $action === 'PENDING') exit(1);
echo "final: $action\n";
exit(0);
