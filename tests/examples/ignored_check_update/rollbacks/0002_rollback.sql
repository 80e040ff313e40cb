UPDATE accounts SET balance = balance + 5;
